import PetrelBacktest
import PetrelCore
import PetrelRuntime
import PetrelStrategies
import PetrelTestSupport
import Testing

/// Parameters come from users (CLI, configs, the API): any value the schema accepts must run.
@Suite("Every strategy runs with each parameter at the edges of its allowed range")
struct ParameterBoundaryTests {
    static let candles = try! Fixtures.canonicalCandles("binance_BTCUSDT_1m_2024-01.csv", limit: 1_500)

    static var descriptors: [StrategyDescriptor] {
        StrategyRegistry.strategies
            + StrategyRegistry.entryRules.flatMap { entry in
                StrategyRegistry.exitRules.map { exit in
                    try! StrategyRegistry.composite(entry: entry.name, exit: exit.name)
                }
            }
    }

    /// Runs a backtest, or confirms the combination is refused with a `ParameterError` (e.g. fast ≥ slow).
    func runOrRefuse(_ descriptor: StrategyDescriptor, _ values: [String: ParameterValue]) throws -> Bool {
        let strategy: any Strategy
        do {
            strategy = try descriptor.instantiate(values)
        } catch is ParameterError {
            return false
        }
        let market = BacktestMarket(
            rules: .unrestricted(try Symbol(parsing: "BTC/USDT")), timeframe: .m1, candles: Self.candles)
        var first = true
        _ = try BacktestEngine(configuration: BacktestConfiguration(initialBalance: 10_000)).run(
            markets: [market],
            makeStrategy: { _ in
                defer { first = false }
                return first ? strategy : try descriptor.instantiate(values)
            })
        return true
    }

    @Test("minimum and maximum of every parameter", arguments: descriptors.map(\.name))
    func edges(name: String) throws {
        let descriptor = try #require(Self.descriptors.first { $0.name == name })
        var ran = 0
        for spec in descriptor.schema.parameters where spec.kind == .integer || spec.kind == .number {
            for bound in [spec.minimum, spec.maximum].compactMap({ $0 }) {
                let value: ParameterValue = spec.kind == .integer ? .integer(Int(bound)) : .number(bound)
                if try runOrRefuse(descriptor, [spec.name: value]) { ran += 1 }
            }
        }
        #expect(ran > 0)
    }
}
