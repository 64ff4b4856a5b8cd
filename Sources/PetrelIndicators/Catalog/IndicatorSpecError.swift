/// Why an indicator spec such as `bbands:20,2` could not be parsed; every message names the
/// spec as written, the offending part and what is allowed.
public enum IndicatorSpecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The spec (or its name) is empty.
    case empty(spec: String)
    /// The name is not in ``IndicatorCatalog``.
    case unknownName(spec: String, name: String, known: [String])
    /// More parameters than the indicator takes.
    case tooManyParameters(spec: String, name: String, accepted: [String], given: Int)
    /// A parameter is missing, not a number, not whole, or out of range.
    case invalidParameter(spec: String, parameter: String, value: String, allowed: String)
    /// Each parameter is valid but together they are not (e.g. MACD fast ≥ slow).
    case inconsistentParameters(spec: String, reason: String)

    /// A message for people: names the spec, the parameter and the allowed values.
    public var description: String {
        switch self {
        case .empty(let spec):
            return "indicator spec '\(spec)' is empty; expected NAME[:P1,P2,…] such as rsi:14 or bbands:20,2"
        case .unknownName(let spec, let name, let known):
            return "unknown indicator '\(name)' in '\(spec)'; known indicators: \(known.joined(separator: ", "))"
        case .tooManyParameters(let spec, let name, let accepted, let given):
            let list =
                accepted.isEmpty ? "no parameters" : "at most \(accepted.count) (\(accepted.joined(separator: ", ")))"
            return "indicator '\(spec)': \(name) takes \(list), got \(given)"
        case .invalidParameter(let spec, let parameter, let value, let allowed):
            return "indicator '\(spec)': parameter '\(parameter)' is '\(value)'; allowed: \(allowed)"
        case .inconsistentParameters(let spec, let reason):
            return "indicator '\(spec)': \(reason)"
        }
    }
}
