/// Maps a candle's index to the line (or record) it came from without storing one number per candle.
///
/// Only the places where the mapping jumps (blank lines, skipped or malformed rows) are kept, so the
/// map of a clean million-row file holds a single anchor.
struct LineMap: Sendable, Hashable {
    private struct Anchor: Sendable, Hashable {
        var index: Int
        var line: Int
    }

    /// What the numbers count.
    let unit: SourceLocation.Unit
    private var anchors: [Anchor]

    /// An empty map for text lines.
    init() {
        unit = .line
        anchors = []
    }

    /// The identity map for records: candle `i` is record `i + 1`.
    static var records: LineMap {
        var map = LineMap(unit: .record)
        map.anchors = [Anchor(index: 0, line: 1)]
        return map
    }

    private init(unit: SourceLocation.Unit) {
        self.unit = unit
        anchors = []
    }

    /// Notes that candle `index` (appended in order) came from `line`.
    /// - Complexity: O(1).
    @inline(__always)
    mutating func note(index: Int, line: Int) {
        if let last = anchors.last, last.line + (index - last.index) == line { return }
        anchors.append(Anchor(index: index, line: line))
    }

    /// The line or record of candle `index`.
    /// - Complexity: O(log a) in the number of anchors.
    func line(of index: Int) -> Int {
        var low = 0
        var high = anchors.count - 1
        guard high >= 0 else { return index + 1 }
        while low < high {
            let middle = (low + high + 1) / 2
            if anchors[middle].index <= index { low = middle } else { high = middle - 1 }
        }
        let anchor = anchors[low]
        return anchor.line + (index - anchor.index)
    }

    /// The location of candle `index` in `file`.
    func location(of index: Int, file: String) -> SourceLocation {
        SourceLocation(file: file, line: line(of: index), unit: unit)
    }
}
