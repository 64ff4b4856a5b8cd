/// One problem in a configuration file: where (a JSON path like `$.broker.type`), the bad value,
/// and what is allowed.
public struct ConfigIssue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// JSON path, e.g. `$.strategy.entry_logic.params.e_rsi_period`.
    public var path: String
    /// The bad value and what is allowed.
    public var message: String

    /// A problem at `path`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `PATH: message`.
    public var description: String { "\(path): \(message)" }
}

/// Every problem found in a configuration, reported together.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    /// The file name.
    public var source: String
    /// Every problem, in the order found.
    public var issues: [ConfigIssue]

    /// The problems of `source`.
    public init(source: String, issues: [ConfigIssue]) {
        self.source = source
        self.issues = issues
    }

    /// `FILE: N problems` and one indented `PATH: message` line each.
    public var description: String {
        let noun = issues.count == 1 ? "problem" : "problems"
        return "\(source): \(issues.count) \(noun)\n" + issues.map { "  \($0)" }.joined(separator: "\n")
    }
}
