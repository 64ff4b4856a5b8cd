/// A secret named in a config file by reference only: `"${BINANCE_API_SECRET}"`. The value lives
/// in the environment (or, for exchange keys, in a stored exchange account) and is looked up when
/// a bot starts; the file, logs and error messages only ever show the variable's name.
public struct SecretReference: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The environment variable, e.g. `BINANCE_API_SECRET`.
    public let name: String

    /// A reference to the environment variable `name`.
    /// - Throws: ``SecretReferenceError/invalidName`` unless `name` matches `[A-Z_][A-Z0-9_]*`.
    public init(name: String) throws(SecretReferenceError) {
        guard Self.isValidName(name) else { throw .invalidName }
        self.name = name
    }

    /// Parses `${NAME}`; `nil` for anything else. The text is never echoed, since a value that is not
    /// a reference is probably the secret itself.
    public init?(parsing text: String) {
        guard text.hasPrefix("${"), text.hasSuffix("}"), text.count > 3 else { return nil }
        let name = String(text.dropFirst(2).dropLast())
        guard Self.isValidName(name) else { return nil }
        self.name = name
    }

    /// Whether `name` is an environment variable name this reference accepts: `[A-Z_][A-Z0-9_]*`.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || ("A"..."Z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    /// Looks the value up in `environment` (inject `ProcessInfo.processInfo.environment` at the edge).
    /// - Parameter environment: variable names to values.
    /// - Returns: the secret's value. Keep it out of logs and messages.
    /// - Throws: ``SecretReferenceError/unset(_:)`` or ``SecretReferenceError/empty(_:)``, naming the variable only.
    public func resolve(in environment: [String: String]) throws(SecretReferenceError) -> String {
        guard let value = environment[name] else { throw .unset(name) }
        guard !value.isEmpty else { throw .empty(name) }
        return value
    }

    /// `${NAME}`, as written in the file.
    public var description: String { "${\(name)}" }

    /// Decodes `"${NAME}"`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let reference = SecretReference(parsing: try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a ${ENV_VAR} reference with NAME matching [A-Z_][A-Z0-9_]*")
        }
        self = reference
    }

    /// Encodes `"${NAME}"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Why a secret reference cannot be made or resolved. Never carries a secret's value.
public enum SecretReferenceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name does not match `[A-Z_][A-Z0-9_]*` (not echoed: it may be a value pasted by mistake).
    case invalidName
    /// The environment has no such variable.
    case unset(String)
    /// The variable is set but empty (live trading refuses empty credentials).
    case empty(String)

    /// The problem, naming the variable only.
    public var description: String {
        switch self {
        case .invalidName:
            return "not an environment variable name (expected [A-Z_][A-Z0-9_]*)"
        case .unset(let name):
            return "environment variable \(name) is not set (the config refers to it as ${\(name)})"
        case .empty(let name):
            return "environment variable \(name) is empty (the config refers to it as ${\(name)})"
        }
    }
}

/// A secret reference and where the config file holds it.
public struct ConfigSecret: Sendable, Hashable, Codable {
    /// JSON path of the key, e.g. `$.broker.api_secret`.
    public var path: String
    /// The variable it names.
    public var reference: SecretReference

    /// A reference found at `path`.
    public init(path: String, reference: SecretReference) {
        self.path = path
        self.reference = reference
    }
}
