import PetrelRuntime

/// Why a bot cannot be set up: a bad config (with every problem and its JSON path), an id that is not
/// allowed, a market that cannot be loaded, a fault-drill variable with a bad value.
public struct BotSetupError: Error, Sendable, CustomStringConvertible, PermanentBotError {
    /// One line (or, for a config, one line per problem) for a person.
    public var description: String
    /// The config's problems, when the config is what is wrong.
    public var issues: [ConfigIssue]
    /// The field at fault: the first problem's JSON path, or a field such as `id`.
    public var field: String?

    /// A problem described by `description`, at `field` if one is known.
    public init(_ description: String, field: String? = nil) {
        self.description = description
        self.issues = []
        self.field = field
    }

    /// A config's problems.
    public init(_ error: ConfigError) {
        self.description = error.description
        self.issues = error.issues
        self.field = error.issues.first?.path
    }
}
