import PetrelPersistence

/// What a username and a role must look like, shared by the API and `petrel user create`.
public enum AccountRules {
    /// The role named `text`.
    /// - Throws: ``Problem`` naming the allowed roles.
    public static func role(_ text: String) throws(Problem) -> UserRole {
        guard let role = UserRole(rawValue: text) else {
            let names = UserRole.allCases.reversed().map(\.rawValue).joined(separator: ", ")
            throw Problem(description: "role '\(text)' is not allowed; expected one of \(names)")
        }
        return role
    }

    /// An unacceptable value, phrased for a person.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    static let usernameCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")

    /// Why `name` is not an acceptable username, or `nil` when it is (3 to 40 letters, digits, `.`, `_`, `-`).
    public static func usernameProblem(_ name: String) -> String? {
        guard (3...40).contains(name.count), name.allSatisfy({ usernameCharacters.contains($0) }) else {
            return "must be 3 to 40 letters, digits, '.', '_' or '-'"
        }
        return nil
    }
}
