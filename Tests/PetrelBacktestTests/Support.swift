import PetrelBacktest
import PetrelCore
import PetrelRuntime
import PetrelTestSupport

/// Markets and shortcuts shared by the backtest suites (hand-computed scenarios use these rules).
enum Market {
    static let btc = try! Symbol(parsing: "BTC/USDT")
    static let eth = try! Symbol(parsing: "ETH/USDT")

    /// Cent ticks and 0.001 lots, no minimums: every number in a scenario stays easy to check by hand.
    static func rules(_ symbol: Symbol) -> InstrumentRules {
        try! InstrumentRules(symbol: symbol, tickSize: decimal("0.01"), stepSize: decimal("0.001"))
    }

    /// An hourly market from `"open high low close"` rows starting 2024-01-01T00:00Z.
    static func hourly(_ rows: [String], symbol: Symbol = btc) -> BacktestMarket {
        BacktestMarket(rules: rules(symbol), timeframe: .h1, candles: TestCandles.series(rows))
    }

    /// An hourly market from ready candles.
    static func hourly(candles: [Candle], symbol: Symbol = btc) -> BacktestMarket {
        BacktestMarket(rules: rules(symbol), timeframe: .h1, candles: candles)
    }

    /// Unix ms of hourly bar `index` from 2024-01-01T00:00Z.
    static func time(_ index: Int) -> Int64 { TestCandles.newYear2024 + Int64(index) * 3_600_000 }
}

/// Fee, slippage and sizing settings used by most scenarios.
extension BacktestConfiguration {
    /// 10 000 USDT, the given costs and risk, a fixed 1 000 USDT per entry unless told otherwise.
    static func scenario(
        taker: Double = 0.001, maker: Double = 0.001, slippage: Double = 0, risk: RiskSettings = .none,
        sizing: PositionSizing = .fixedAmount(1_000), allowShort: Bool = false, initialBalance: String = "10000"
    ) -> BacktestConfiguration {
        BacktestConfiguration(
            initialBalance: decimal(initialBalance),
            costs: ExecutionCosts(makerFee: maker, takerFee: taker, slippage: slippage), risk: risk, sizing: sizing,
            allowShort: allowShort)
    }
}

/// Runs one scripted strategy per market.
func backtest(
    _ markets: [BacktestMarket], _ configuration: BacktestConfiguration, scripts: [Symbol: ScriptedStrategy]
) throws -> BacktestRun {
    try BacktestEngine(configuration: configuration).run(markets: markets) { symbol in
        scripts[symbol] ?? ScriptedStrategy([:])
    }
}

/// Runs one scripted strategy on one market.
func backtest(
    _ market: BacktestMarket, _ configuration: BacktestConfiguration, _ actions: [Int: Signal.Action]
) throws -> BacktestRun {
    try backtest([market], configuration, scripts: [market.symbol: ScriptedStrategy(actions)])
}

/// Exact equity values written as decimals, as the run stores them (`Double` of the exact amount).
func equities(_ texts: [String]) -> [Double] {
    texts.map { decimal($0).doubleValue }
}

extension BacktestRun {
    /// Journal lines of one kind (`signal`, `skipped`, `state`) as `(timestamp, message)`.
    func journal(_ kind: String) -> [JournalEntry] {
        journal.filter { $0.kind == kind }
    }

    /// The order records with this purpose tag prefix (e.g. `stop loss`, `trailing stop`).
    func orders(tagged tag: String) -> [OrderRecord] {
        orders.filter { $0.tag == tag }
    }
}
