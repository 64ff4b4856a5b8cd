import Crypto
import Foundation

/// A server secret (the JWT signing key, the master key for stored credentials): from an environment
/// variable, or from a file in the data directory created with mode 0600 on first start. Never from the
/// database, never logged.
public enum SecretFile {
    /// Why a secret cannot be used.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Values people paste from examples; refused wherever they come from.
    static let known: Set<String> = [
        "secret", "changeme", "change-me", "change_me", "password", "default", "your-secret-key", "jwt-secret",
        "insecure", "test", "example",
    ]

    /// The secret's bytes.
    /// - Parameters:
    ///   - variable: the environment variable that overrides the file (hex or text, at least 32 bytes).
    ///   - path: the file, created with 32 random bytes (hex) when missing.
    ///   - environment: the process environment.
    /// - Throws: ``Problem`` for an empty, default or short secret, a file others can read, or I/O errors.
    public static func load(variable: String, path: String, environment: [String: String]) throws(Problem) -> [UInt8] {
        if let value = environment[variable] {
            return try check(value.trimmingCharacters(in: .whitespacesAndNewlines), source: variable)
        }
        let url = URL(fileURLWithPath: path)
        if !FileManager.default.fileExists(atPath: path) {
            let fresh = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
            let text = fresh.map { String(format: "%02x", $0) }.joined() + "\n"
            do {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
                guard
                    FileManager.default.createFile(
                        atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
                else { throw Problem(description: "cannot create \(path)") }
            } catch let problem as Problem {
                throw problem
            } catch {
                throw Problem(description: "cannot create \(path): \(error.localizedDescription)")
            }
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let mode = (attributes?[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw Problem(
                description:
                    "\(path) can be read by other users (mode \(String(mode, radix: 8))); run 'chmod 600 \(path)'")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem(description: "cannot read \(path)")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return try check(text, source: path)
    }

    /// The bytes of a secret given as text: 64 hex digits are decoded, anything else is taken as UTF-8.
    static func check(_ text: String, source: String) throws(Problem) -> [UInt8] {
        guard !text.isEmpty else { throw Problem(description: "\(source) is empty; a secret is required") }
        guard !known.contains(text.lowercased()) else {
            throw Problem(description: "\(source) holds a well-known default value; use a random secret")
        }
        let bytes = hexBytes(text) ?? Array(text.utf8)
        guard bytes.count >= 32 else {
            throw Problem(
                description:
                    "\(source) is too short (\(bytes.count) bytes); use at least 32 random bytes, e.g. 'openssl rand -hex 32'"
            )
        }
        guard Set(bytes).count > 4 else {
            throw Problem(description: "\(source) repeats a few characters; use a random secret")
        }
        return bytes
    }

    /// `text` as bytes when it is an even number of hex digits (at least 64).
    static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count >= 64, digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
