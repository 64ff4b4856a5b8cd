/// One problem in a configuration file: where (a JSON path like `$.broker.type`), the bad value,
/// and what is allowed.
public struct ConfigIssue: Sendable, Hashable, Codable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// Every problem found in a configuration, reported together.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var source: String
    public var issues: [ConfigIssue]

    public init(source: String, issues: [ConfigIssue]) {
        self.source = source
        self.issues = issues
    }

    public var description: String {
        let noun = issues.count == 1 ? "problem" : "problems"
        return "\(source): \(issues.count) \(noun)\n" + issues.map { "  \($0)" }.joined(separator: "\n")
    }
}
