import Testing

/// How close two independently computed values must be: `|a − b| ≤ relative · max(|a|, |b|) + absolute`.
struct Tolerance {
    var relative: Double = 1e-9
    var absolute: Double

    func accepts(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= relative * max(abs(a), abs(b)) + absolute
    }
}

/// Index of the first non-nil element.
func firstValueIndex(_ values: [Double?]) -> Int? {
    values.firstIndex { $0 != nil }
}

/// Checks that two output series agree at every index: same length, `nil` at exactly the same
/// positions (so the first value appears at the same index) and values within tolerance.
/// Reports only the first disagreement so a broken indicator does not flood the log.
func expectSeries(
    _ actual: [Double?], matches expected: [Double?], within tolerance: Tolerance, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == expected.count, "\(label): length", sourceLocation: sourceLocation)
    #expect(
        firstValueIndex(actual) == firstValueIndex(expected), "\(label): first value index",
        sourceLocation: sourceLocation)
    #expect(expected.contains { $0 != nil }, "\(label): reference has values", sourceLocation: sourceLocation)
    for index in 0..<min(actual.count, expected.count) {
        switch (actual[index], expected[index]) {
        case (nil, nil):
            continue
        case (let a?, let b?) where tolerance.accepts(a, b):
            continue
        default:
            Issue.record(
                "\(label): index \(index) is \(String(describing: actual[index])), reference \(String(describing: expected[index]))",
                sourceLocation: sourceLocation)
            return
        }
    }
}
