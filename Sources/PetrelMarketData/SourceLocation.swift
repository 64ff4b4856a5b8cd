/// Where in a candle file something was found: a text line (CSV) or a record number (binary).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// Whether ``line`` counts text lines or binary records.
    public enum Unit: String, Sendable, Hashable {
        /// A 1-based text line, the header included (`data.csv:17`).
        case line
        /// A 1-based candle record in a binary file or an in-memory series (`data.pcandles record 17`).
        case record
    }

    /// The file name (last path component), or a label for in-memory data.
    public var file: String
    /// The 1-based line or record number.
    public var line: Int
    /// What ``line`` counts.
    public var unit: Unit

    /// Creates a location.
    /// - Parameters:
    ///   - file: the file name or label.
    ///   - line: the 1-based line or record number.
    ///   - unit: what `line` counts.
    public init(file: String, line: Int, unit: Unit = .line) {
        self.file = file
        self.line = line
        self.unit = unit
    }

    /// `data.csv:17` for lines, `data.pcandles record 17` for records.
    public var description: String {
        switch unit {
        case .line: return "\(file):\(line)"
        case .record: return "\(file) record \(line)"
        }
    }
}
