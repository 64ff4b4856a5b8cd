/// A parameter value from a config file, the CLI or the API.
public enum ParameterValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case integer(Int)
    case number(Double)
    case boolean(Bool)
    case text(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .boolean(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .integer(let v): try container.encode(v)
        case .number(let v): try container.encode(v)
        case .boolean(let v): try container.encode(v)
        case .text(let v): try container.encode(v)
        }
    }

    public var description: String {
        switch self {
        case .integer(let v): return String(v)
        case .number(let v): return String(v)
        case .boolean(let v): return String(v)
        case .text(let v): return v
        }
    }

    var numericValue: Double? {
        switch self {
        case .integer(let v): return Double(v)
        case .number(let v): return v
        default: return nil
        }
    }
}

/// One tunable parameter of a strategy: its type, default, allowed range and meaning.
public struct ParameterSpec: Sendable, Hashable, Codable {
    /// The value's type.
    public enum Kind: String, Sendable, Hashable, Codable {
        case integer, number, boolean, choice
    }

    public var name: String
    public var kind: Kind
    public var defaultValue: ParameterValue
    /// Inclusive bounds for integers and numbers.
    public var minimum: Double?
    public var maximum: Double?
    /// Allowed values for `choice`.
    public var choices: [String]?
    public var summary: String

    public static func integer(_ name: String, default value: Int, range: ClosedRange<Int>, _ summary: String) -> Self {
        ParameterSpec(
            name: name, kind: .integer, defaultValue: .integer(value), minimum: Double(range.lowerBound),
            maximum: Double(range.upperBound), choices: nil, summary: summary)
    }

    public static func number(_ name: String, default value: Double, range: ClosedRange<Double>, _ summary: String)
        -> Self
    {
        ParameterSpec(
            name: name, kind: .number, defaultValue: .number(value), minimum: range.lowerBound,
            maximum: range.upperBound, choices: nil, summary: summary)
    }

    public static func boolean(_ name: String, default value: Bool, _ summary: String) -> Self {
        ParameterSpec(
            name: name, kind: .boolean, defaultValue: .boolean(value), minimum: nil, maximum: nil, choices: nil,
            summary: summary)
    }

    public static func choice(_ name: String, default value: String, _ choices: [String], _ summary: String) -> Self {
        ParameterSpec(
            name: name, kind: .choice, defaultValue: .text(value), minimum: nil, maximum: nil, choices: choices,
            summary: summary)
    }

    /// The allowed values in words: `an integer from 2 to 100`, `one of sma, ema`.
    public var allowedDescription: String {
        switch kind {
        case .integer: return "an integer from \(Self.format(minimum)) to \(Self.format(maximum))"
        case .number: return "a number from \(Self.format(minimum)) to \(Self.format(maximum))"
        case .boolean: return "true or false"
        case .choice: return "one of \((choices ?? []).joined(separator: ", "))"
        }
    }

    private static func format(_ value: Double?) -> String {
        guard let value else { return "any" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// Checks and normalises a value (an integral number is accepted for an integer; text is parsed).
    /// - Throws: ``ParameterError/invalidValue(name:value:allowed:)``.
    public func validate(_ value: ParameterValue) throws(ParameterError) -> ParameterValue {
        let normalised: ParameterValue?
        switch (kind, value) {
        case (.integer, .integer): normalised = value
        case (.integer, .number(let v)) where v == v.rounded() && abs(v) < 1e15: normalised = .integer(Int(v))
        case (.integer, .text(let t)): normalised = Int(t).map { .integer($0) }
        case (.number, .number): normalised = value
        case (.number, .integer(let v)): normalised = .number(Double(v))
        case (.number, .text(let t)): normalised = Double(t).flatMap { $0.isFinite ? .number($0) : nil }
        case (.boolean, .boolean): normalised = value
        case (.boolean, .text(let t)): normalised = ["true": true, "false": false][t.lowercased()].map { .boolean($0) }
        case (.choice, .text(let t)): normalised = (choices ?? []).contains(t) ? value : nil
        default: normalised = nil
        }
        guard let normalised else {
            throw .invalidValue(name: name, value: value.description, allowed: allowedDescription)
        }
        if let number = normalised.numericValue {
            // NaN compares false with both bounds, so it would pass any range.
            guard number.isFinite else {
                throw .invalidValue(name: name, value: value.description, allowed: allowedDescription)
            }
            if let minimum, number < minimum {
                throw .invalidValue(name: name, value: value.description, allowed: allowedDescription)
            }
            if let maximum, number > maximum {
                throw .invalidValue(name: name, value: value.description, allowed: allowedDescription)
            }
        }
        return normalised
    }
}

/// A strategy's parameters, in display order.
public struct ParameterSchema: Sendable, Hashable, Codable {
    public var parameters: [ParameterSpec]

    public init(_ parameters: [ParameterSpec]) {
        self.parameters = parameters
    }

    /// Checks user-supplied values and fills in defaults.
    /// - Parameter values: by name; every name must be in the schema.
    /// - Returns: one value for every parameter.
    /// - Throws: ``ParameterError`` for an unknown name (with a "did you mean") or a bad value.
    public func resolve(_ values: [String: ParameterValue]) throws(ParameterError) -> ParameterValues {
        for name in values.keys.sorted() where !parameters.contains(where: { $0.name == name }) {
            throw .unknownParameter(
                name: name, suggestion: closestName(to: name, in: parameters.map(\.name)),
                known: parameters.map(\.name))
        }
        var resolved: [String: ParameterValue] = [:]
        for spec in parameters {
            resolved[spec.name] = try spec.validate(values[spec.name] ?? spec.defaultValue)
        }
        return ParameterValues(resolved)
    }

    /// Parses `name=value` text (the CLI's `--param`) into a value of the named parameter's type.
    /// - Throws: ``ParameterError`` for bad syntax, an unknown name or a bad value.
    public func parseAssignment(_ text: String) throws(ParameterError) -> (String, ParameterValue) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw .malformedAssignment(text)
        }
        let name = String(text[..<equals])
        let raw = String(text[text.index(after: equals)...])
        guard let spec = parameters.first(where: { $0.name == name }) else {
            throw .unknownParameter(
                name: name, suggestion: closestName(to: name, in: parameters.map(\.name)),
                known: parameters.map(\.name))
        }
        return (name, try spec.validate(.text(raw)))
    }
}

/// Validated parameter values with typed accessors.
public struct ParameterValues: Sendable, Hashable, Codable {
    public private(set) var values: [String: ParameterValue]

    public init(_ values: [String: ParameterValue]) {
        self.values = values
    }

    /// The integer value of `name` (programmer error if absent: values come from ``ParameterSchema/resolve(_:)``).
    public func integer(_ name: String) -> Int {
        switch values[name] {
        case .integer(let v): return v
        case .number(let v): return Int(v)
        default: preconditionFailure("parameter \(name) is not an integer in \(values)")
        }
    }

    /// The numeric value of `name`.
    public func number(_ name: String) -> Double {
        guard let v = values[name]?.numericValue else { preconditionFailure("parameter \(name) is not a number") }
        return v
    }

    /// The boolean value of `name`.
    public func boolean(_ name: String) -> Bool {
        guard case .boolean(let v) = values[name] else { preconditionFailure("parameter \(name) is not a boolean") }
        return v
    }

    /// The text value of `name`.
    public func text(_ name: String) -> String {
        guard case .text(let v) = values[name] else { preconditionFailure("parameter \(name) is not text") }
        return v
    }
}

/// A parameter that is unknown or out of its allowed range.
public enum ParameterError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownParameter(name: String, suggestion: String?, known: [String])
    case invalidValue(name: String, value: String, allowed: String)
    case malformedAssignment(String)

    public var description: String {
        switch self {
        case .unknownParameter(let name, let suggestion, let known):
            let hint = suggestion.map { " (did you mean '\($0)'?)" } ?? ""
            return "unknown parameter '\(name)'\(hint); known parameters: \(known.joined(separator: ", "))"
        case .invalidValue(let name, let value, let allowed):
            return "parameter '\(name)' = \(value) is not allowed: expected \(allowed)"
        case .malformedAssignment(let text):
            return "'\(text)' is not a parameter assignment (expected name=value)"
        }
    }
}

/// The candidate nearest to `name` by edit distance, if it is close enough to be a likely typo.
public func closestName(to name: String, in candidates: [String]) -> String? {
    let target = Array(name.lowercased())
    var best: (String, Int)?
    for candidate in candidates {
        let c = Array(candidate.lowercased())
        var previous = Array(0...c.count)
        for (i, ch) in target.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: c.count)
            for j in 0..<c.count {
                current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ch == c[j] ? 0 : 1))
            }
            previous = current
        }
        let distance = previous[c.count]
        if best == nil || distance < best!.1 { best = (candidate, distance) }
    }
    guard let best, best.1 <= Swift.max(2, target.count / 3) else { return nil }
    return best.0
}
