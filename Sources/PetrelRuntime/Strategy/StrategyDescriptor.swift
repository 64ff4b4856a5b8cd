/// A named strategy that can be built from parameter values: what the registry lists and the
/// CLI, configs and API select by name.
public struct StrategyDescriptor: Sendable {
    public var name: String
    public var summary: String
    public var schema: ParameterSchema
    /// Builds an instance from resolved values.
    public var make: @Sendable (ParameterValues) throws -> any Strategy

    public init(
        name: String, summary: String, schema: ParameterSchema,
        make: @escaping @Sendable (ParameterValues) throws -> any Strategy
    ) {
        self.name = name
        self.summary = summary
        self.schema = schema
        self.make = make
    }

    /// Resolves `values` against the schema and builds the strategy.
    /// - Throws: ``ParameterError`` or the factory's error.
    public func instantiate(_ values: [String: ParameterValue] = [:]) throws -> any Strategy {
        try make(try schema.resolve(values))
    }
}
