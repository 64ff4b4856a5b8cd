import PetrelCore
import PetrelRuntime

/// The values to try for each parameter of a strategy.
public struct ParameterSpace: Sendable {
    /// A parameter and its candidate values.
    public struct Dimension: Sendable {
        public var name: String
        public var values: [ParameterValue]
    }

    public var dimensions: [Dimension]

    /// Builds a space from `NAME=FROM:TO[:STEP]` ranges and `NAME=a,b,c` lists (the CLI's `--range`),
    /// validating every value against the schema. Parameters not mentioned keep their default.
    /// - Throws: ``ParameterError`` for unknown names, bad syntax or values out of range.
    public init(schema: ParameterSchema, ranges: [String]) throws(ParameterError) {
        var dimensions: [Dimension] = []
        for text in ranges {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw .malformedAssignment(text)
            }
            let name = String(text[..<equals])
            let body = String(text[text.index(after: equals)...])
            guard let spec = schema.parameters.first(where: { $0.name == name }) else {
                throw .unknownParameter(
                    name: name, suggestion: closestName(to: name, in: schema.parameters.map(\.name)),
                    known: schema.parameters.map(\.name))
            }
            var values: [ParameterValue] = []
            if body.contains(":") {
                let parts = body.split(separator: ":", omittingEmptySubsequences: false).map { Double($0) }
                guard (2...3).contains(parts.count), let from = parts[0], let to = parts[1], to >= from,
                    spec.kind == .integer || spec.kind == .number
                else {
                    throw .invalidValue(
                        name: name, value: body, allowed: "FROM:TO[:STEP] with FROM ≤ TO for a numeric parameter")
                }
                let step = parts.count == 3 ? (parts[2] ?? 0) : (spec.kind == .integer ? 1 : (to - from) / 4)
                guard step > 0 || from == to else {
                    throw .invalidValue(name: name, value: body, allowed: "a STEP greater than zero")
                }
                var k = 0.0
                while true {
                    let v = from + k * Swift.max(step, 1e-12)
                    if v > to + 1e-9 || values.count > 10_000 { break }
                    let candidate: ParameterValue =
                        spec.kind == .integer ? .integer(Int(v.rounded())) : .number((v * 1e9).rounded() / 1e9)
                    values.append(try spec.validate(candidate))
                    if from == to { break }
                    k += 1
                }
            } else {
                for item in body.split(separator: ",") { values.append(try spec.validate(.text(String(item)))) }
            }
            guard !values.isEmpty else { throw .invalidValue(name: name, value: body, allowed: "at least one value") }
            dimensions.removeAll { $0.name == name }
            dimensions.append(Dimension(name: name, values: values))
        }
        self.dimensions = dimensions
    }

    /// Number of grid points.
    public var gridSize: Int { dimensions.reduce(1) { $0 * $1.values.count } }

    /// Every combination, in a fixed order (the first dimension varies slowest).
    public func grid() -> [[String: ParameterValue]] {
        var result: [[String: ParameterValue]] = [[:]]
        for dimension in dimensions {
            result = result.flatMap { partial in dimension.values.map { partial.merging([dimension.name: $0]) { $1 } } }
        }
        return result
    }

    /// `count` combinations drawn with replacement-free sampling where possible, deterministic for a seed.
    public func random(count: Int, seed: UInt64) -> [[String: ParameterValue]] {
        var generator = SplitMix64(seed: seed)
        let total = gridSize
        if total <= count { return grid() }
        var seen = Set<[Int]>()
        var result: [[String: ParameterValue]] = []
        while result.count < count {
            let picks = dimensions.map { Int(generator.next() % UInt64($0.values.count)) }
            guard seen.insert(picks).inserted else { continue }
            var values: [String: ParameterValue] = [:]
            for (dimension, pick) in zip(dimensions, picks) { values[dimension.name] = dimension.values[pick] }
            result.append(values)
        }
        return result
    }
}
