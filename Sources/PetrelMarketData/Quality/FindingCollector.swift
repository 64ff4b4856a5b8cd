/// Counts every finding and keeps at most a fixed number of them per category.
struct FindingCollector: Sendable {
    /// The most findings kept per category.
    let capPerCategory: Int
    private(set) var counts: [DataQualityFinding.Category: Int] = [:]
    private(set) var kept: [DataQualityFinding] = []
    /// Findings counted but not kept because their category was full.
    private(set) var omitted = 0

    init(capPerCategory: Int) {
        self.capPerCategory = max(0, capPerCategory)
    }

    /// Counts a finding and keeps it while its category has room.
    mutating func add(_ finding: DataQualityFinding) {
        let count = counts[finding.category, default: 0]
        counts[finding.category] = count + 1
        if count < capPerCategory { kept.append(finding) } else { omitted += 1 }
    }
}
