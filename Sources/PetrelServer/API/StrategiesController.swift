import Hummingbird
import PetrelPersistence
import PetrelRuntime
import PetrelStrategies

/// `GET /api/v1/strategies`: every built-in strategy and seed 002 rule with its parameter schema, so a
/// client (the dashboard's create-bot form) can build a form and a valid config.
struct StrategiesController: Sendable {
    struct Entry: Encodable {
        var name: String
        var summary: String
        var parameters: [ParameterSpec]
    }

    struct Catalog: Encodable {
        var strategies: [Entry]
        var entryRules: [Entry]
        var exitRules: [Entry]
    }

    @Sendable func list(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try context.require(.viewer)
        return try Self.response.get()
    }

    /// The catalog never changes while the process runs: encoded once.
    static let response: Result<Response, any Error> = Result {
        try JSONResponse.make(
            Catalog(
                strategies: StrategyRegistry.strategies.map {
                    Entry(name: $0.name, summary: $0.summary, parameters: $0.schema.parameters)
                },
                entryRules: StrategyRegistry.entryRules.map {
                    Entry(name: $0.name, summary: $0.summary, parameters: $0.schema.parameters)
                },
                exitRules: StrategyRegistry.exitRules.map {
                    Entry(name: $0.name, summary: $0.summary, parameters: $0.schema.parameters)
                }))
    }
}
