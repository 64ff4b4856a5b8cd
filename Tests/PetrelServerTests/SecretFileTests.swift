import Foundation
import PetrelServer
import PetrelTestSupport
import Testing

/// Server secrets: generated 0600 on first start, refused when empty, default, short or readable by others.
@Suite("Secret files")
struct SecretFileTests {
    @Test("a missing key file is created with 32 random bytes and mode 0600, and read back the same")
    func createsFile() throws {
        let directory = try Fixtures.temporaryDirectory("petrel-secret")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("secrets/jwt.key").path
        let first = try SecretFile.load(variable: "X", path: path, environment: [:])
        #expect(first.count == 32)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(try SecretFile.load(variable: "X", path: path, environment: [:]) == first)
    }

    @Test("a key file others can read is refused with the chmod to run")
    func groupReadable() throws {
        let directory = try Fixtures.temporaryDirectory("petrel-secret")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("jwt.key").path
        _ = try SecretFile.load(variable: "X", path: path, environment: [:])
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: SecretFile.Problem.self) { try SecretFile.load(variable: "X", path: path, environment: [:]) }
        do {
            _ = try SecretFile.load(variable: "X", path: path, environment: [:])
        } catch {
            #expect(error.description.contains("chmod 600"))
        }
    }

    @Test(
        "empty, well-known, short and repetitive secrets from the environment are refused",
        arguments: [
            ("", "is empty"), ("changeme", "well-known default"), ("short-secret", "too short"),
            (String(repeating: "ab", count: 20), "repeats a few characters"),
        ])
    func badSecrets(value: String, message: String) throws {
        do {
            _ = try SecretFile.load(
                variable: "PETREL_JWT_SECRET", path: "/nonexistent/x", environment: ["PETREL_JWT_SECRET": value])
            Issue.record("accepted \(value)")
        } catch {
            #expect(error.description.hasPrefix("PETREL_JWT_SECRET"))
            #expect(error.description.contains(message))
        }
    }

    @Test("64 hex digits are decoded to 32 bytes; other text is taken as it is")
    func hexSecret() throws {
        let hex = String(repeating: "0123456789abcdef", count: 4)
        let bytes = try SecretFile.load(variable: "S", path: "/nonexistent/x", environment: ["S": hex])
        #expect(bytes.count == 32 && bytes.first == 0x01 && bytes.last == 0xef)
        let text = "a-long-passphrase-with-enough-characters-1"
        #expect(
            try SecretFile.load(variable: "S", path: "/nonexistent/x", environment: ["S": text]) == Array(text.utf8))
    }
}
