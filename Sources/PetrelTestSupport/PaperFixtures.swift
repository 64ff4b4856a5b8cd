import PetrelCore
import PetrelExchanges
import PetrelRuntime

/// A paper exchange trading BTC/USDT with round numbers, for order tests computed by hand: tick
/// 0.01, step 0.0001, minimum notional 10 USDT, maker 0.1 %, taker 0.2 %, slippage 0.1 %.
public enum PaperFixtures {
    /// 2024-01-01T00:00:00Z, where test clocks start.
    public static let start: Int64 = TestCandles.newYear2024
    /// BTC/USDT spot.
    public static let btc = try! Symbol(parsing: "BTC/USDT")
    /// The instrument rules.
    public static let rules = try! InstrumentRules(
        symbol: btc, tickSize: decimal("0.01"), stepSize: decimal("0.0001"), minQuantity: decimal("0.0001"),
        minNotional: decimal("10"))
    /// 10,000 USDT and 1 BTC.
    public static let balances: [String: Money] = ["USDT": decimal("10000"), "BTC": decimal("1")]

    /// The exchange's configuration.
    /// - Parameters:
    ///   - fillLimit: how much one quote fills.
    ///   - stopTrigger: the price stops watch.
    public static func configuration(
        fillLimit: PaperFillLimit = .unlimited, stopTrigger: PaperStopTrigger = .last
    ) -> PaperExchangeConfiguration {
        PaperExchangeConfiguration(
            rules: [rules], makerFeeRate: decimal("0.001"), takerFeeRate: decimal("0.002"),
            slippage: decimal("0.001"), fillLimit: fillLimit, stopTrigger: stopTrigger)
    }

    /// A quote from decimal strings; `last` defaults to the bid.
    public static func quote(
        bid: String, ask: String, last: String? = nil, bidSize: String? = nil, askSize: String? = nil,
        at timestamp: Int64 = start
    ) -> Quote {
        Quote(
            symbol: btc, bid: decimal(bid), ask: decimal(ask), last: decimal(last ?? bid),
            bidSize: bidSize.map(decimal), askSize: askSize.map(decimal), timestamp: timestamp)
    }

    /// The `sequence`-th order of bot `bot1` (client id `bot1x<sequence>`), in the `intent` status.
    public static func order(
        _ sequence: UInt64, _ side: OrderSide, _ type: OrderType = .market, quantity: String, price: String? = nil,
        stop: String? = nil, timeInForce: TimeInForce = .gtc, at timestamp: Int64 = start
    ) -> Order {
        try! Order(
            clientOrderID: ClientOrderID(botID: "bot1", sequence: sequence), symbol: btc, side: side, type: type,
            quantity: decimal(quantity), price: price.map(decimal), stopPrice: stop.map(decimal),
            timeInForce: timeInForce, createdAt: timestamp)
    }

    /// A paper exchange with the fixture's configuration and balances and a quote of bid 100.00 /
    /// ask 100.05 already applied.
    public static func exchange(
        clock: TestClock, fillLimit: PaperFillLimit = .unlimited, stopTrigger: PaperStopTrigger = .last
    ) async -> PaperExchange {
        let exchange = PaperExchange(
            configuration: configuration(fillLimit: fillLimit, stopTrigger: stopTrigger), balances: balances,
            clock: clock)
        await exchange.apply(quote(bid: "100.00", ask: "100.05", at: clock.now()))
        return exchange
    }
}
