import PetrelCore

/// Walks a JSON tree, collecting every problem instead of stopping at the first.
struct ConfigReader {
    var issues: [ConfigIssue] = []

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
    mutating func checkKeys(_ object: [String: JSONValue], _ path: String, allowed: [String]) {
        for key in object.keys.sorted() where !allowed.contains(key) {
            let hint = closestName(to: key, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
            fail("\(path).\(key)", "unknown key\(hint); allowed keys: \(allowed.joined(separator: ", "))")
        }
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
