import Foundation
import PetrelCore

/// Walks a JSON tree, collecting every problem instead of stopping at the first.
struct ConfigReader {
    var issues: [ConfigIssue] = []
    /// Every valid `${ENV_VAR}` reference found by ``scanSecrets(_:_:parentKey:)``.
    var secrets: [ConfigSecret] = []

    /// Reads `data` strictly and returns the top-level object, with a reader that already holds the
    /// duplicate-key and secret problems of the whole tree.
    /// - Throws: ``ConfigError`` when the text is not JSON or not an object.
    static func root(_ data: Data, source: String) throws(ConfigError) -> (ConfigReader, [String: JSONValue]) {
        var parser = StrictJSONParser(data)
        let root: JSONValue
        do {
            root = try parser.parse()
        } catch {
            throw ConfigError(source: source, issues: [ConfigIssue(path: "$", message: "not valid JSON: \(error)")])
        }
        guard case .object(let top) = root else {
            throw ConfigError(source: source, issues: [ConfigIssue(path: "$", message: "\(root) is not an object")])
        }
        var reader = ConfigReader()
        for duplicate in parser.duplicates {
            reader.fail(
                duplicate.path,
                "duplicate key at line \(duplicate.line), column \(duplicate.column) (first written at line \(duplicate.firstLine)); JSON keeps only one of them, so write it once"
            )
        }
        reader.scanSecrets(root, "$")
        return (reader, top)
    }

    mutating func fail(_ path: String, _ message: String) {
        issues.append(ConfigIssue(path: path, message: message))
    }

    /// The object at `key`, or nil (with an issue when present but not an object, or when required and missing).
    mutating func object(_ parent: [String: JSONValue], _ key: String, _ path: String, required: Bool) -> [String:
        JSONValue]?
    {
        guard let value = parent[key], value != .null else {
            if required { fail("\(path).\(key)", "is missing (an object is required)") }
            return nil
        }
        guard case .object(let object) = value else {
            fail("\(path).\(key)", "\(value) is not an object")
            return nil
        }
        return object
    }

    /// Flags keys that are not in `allowed`, suggesting the closest allowed key.
    /// - Parameter explanations: a sentence for keys that belong elsewhere (another bot type).
    mutating func checkKeys(
        _ object: [String: JSONValue], _ path: String, allowed: [String], explanations: [String: String] = [:]
    ) {
        for key in object.keys.sorted() where !allowed.contains(key) {
            let hint =
                explanations[key].map { " (\($0))" }
                ?? closestName(to: key, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
            fail("\(path).\(key)", "unknown key\(hint); allowed keys: \(allowed.joined(separator: ", "))")
        }
    }

    /// An absolute URL with one of `schemes`; plain `http`/`ws` only to a loopback host, so keys and
    /// orders never cross a network unencrypted.
    mutating func url(_ object: [String: JSONValue], _ key: String, _ path: String, schemes: [String]) -> String? {
        if case .string(let raw)? = object[key], URLComponents(string: raw)?.password != nil {
            fail(
                "\(path).\(key)",
                "holds a password in the URL (value not shown); put credentials in ${ENV_VAR} references")
            return nil
        }
        guard let text = string(object, key, path) else { return nil }
        let secure = schemes.filter { $0 == "https" || $0 == "wss" }
        let expected =
            "expected an absolute \(schemes.joined(separator: " or ")) URL such as \(schemes.last ?? "https")://host/"
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            schemes.contains(scheme), let host = components.host, !host.isEmpty
        else {
            fail("\(path).\(key)", "'\(text)' is not a URL (\(expected))")
            return nil
        }
        // `127.0.0.1.example.com` is not loopback: only an IPv4 literal in 127/8 is.
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        let loopbackIPv4 = octets.count == 4 && octets.allSatisfy { UInt8($0) != nil } && octets[0] == "127"
        let loopback = host == "localhost" || loopbackIPv4 || host == "::1" || host == "[::1]"
        if !secure.contains(scheme), !loopback {
            fail(
                "\(path).\(key)",
                "'\(text)' is unencrypted; use \(secure.joined(separator: " or ")) (plain \(scheme) is only allowed to localhost)"
            )
            return nil
        }
        return text
    }

    mutating func number(
        _ object: [String: JSONValue], _ key: String, _ path: String, range: ClosedRange<Double>, required: Bool = false
    ) -> Double? {
        let expected = "a number from \(Self.text(range.lowerBound)) to \(Self.text(range.upperBound))"
        guard let value = object[key], value != .null else {
            if required { fail("\(path).\(key)", "is missing (\(expected) is required)") }
            return nil
        }
        guard case .number(let number, _) = value else {
            fail("\(path).\(key)", "\(value) is not a number (expected \(expected))")
            return nil
        }
        guard number.isFinite, range.contains(number) else {
            fail("\(path).\(key)", "\(value) is out of range (expected \(expected))")
            return nil
        }
        return number
    }

    /// An exact decimal (money), from a JSON number or a decimal string.
    mutating func decimal(
        _ object: [String: JSONValue], _ key: String, _ path: String, range: ClosedRange<Double>, required: Bool = false
    ) -> FixedPoint? {
        if case .string(let text)? = object[key] {
            guard let value = try? FixedPoint(parsing: text), range.contains(value.doubleValue) else {
                fail(
                    "\(path).\(key)",
                    "'\(text)' is not a decimal from \(Self.text(range.lowerBound)) to \(Self.text(range.upperBound))")
                return nil
            }
            return value
        }
        guard number(object, key, path, range: range, required: required) != nil,
            case .number(_, let text)? = object[key]
        else {
            return nil
        }
        do {
            return try FixedPoint(parsing: text)
        } catch {
            fail("\(path).\(key)", "\(text): \(error.description)")
            return nil
        }
    }

    mutating func integer(
        _ object: [String: JSONValue], _ key: String, _ path: String, range: ClosedRange<Int>, required: Bool = false
    ) -> Int? {
        let expected = "an integer from \(range.lowerBound) to \(range.upperBound)"
        guard let value = object[key], value != .null else {
            if required { fail("\(path).\(key)", "is missing (\(expected) is required)") }
            return nil
        }
        guard case .number(let number, _) = value, number == number.rounded(), abs(number) < 1e15 else {
            fail("\(path).\(key)", "\(value) is not an integer (expected \(expected))")
            return nil
        }
        guard range.contains(Int(number)) else {
            fail("\(path).\(key)", "\(value) is out of range (expected \(expected))")
            return nil
        }
        return Int(number)
    }

    mutating func string(
        _ object: [String: JSONValue], _ key: String, _ path: String, allowed: [String]? = nil, required: Bool = false
    ) -> String? {
        guard let value = object[key], value != .null else {
            if required {
                let what = allowed.map { "one of \($0.joined(separator: ", "))" } ?? "a string"
                fail("\(path).\(key)", "is missing (\(what) is required)")
            }
            return nil
        }
        guard case .string(let text) = value else {
            fail("\(path).\(key)", "\(value) is not a string")
            return nil
        }
        if let allowed, !allowed.contains(text) {
            let hint = closestName(to: text, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
            fail(
                "\(path).\(key)", "'\(text)' is not allowed\(hint); expected one of \(allowed.joined(separator: ", "))")
            return nil
        }
        return text
    }

    mutating func bool(_ object: [String: JSONValue], _ key: String, _ path: String) -> Bool? {
        guard let value = object[key], value != .null else { return nil }
        guard case .bool(let flag) = value else {
            fail("\(path).\(key)", "\(value) is not true or false")
            return nil
        }
        return flag
    }

    /// A bound as a person writes it: `1`, `0.0001`, `0.00000001` (not Swift's `1e-08`).
    static func text(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
        return (try? FixedPoint(approximating: value))?.description ?? String(value)
    }
}
