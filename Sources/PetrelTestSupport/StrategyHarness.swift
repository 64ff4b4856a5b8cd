import PetrelCore
import PetrelRuntime

/// Feeds candles to a strategy without an exchange: entries open a virtual one-unit position at
/// the signal candle's close and exits close it, so a test sees every signal the strategy would
/// give and the context it was given, with none of the kernel's sizing or risk rules in between.
public enum StrategyHarness {
    /// A signal and the candle it came on.
    public struct Emitted: Sendable {
        /// Index of the candle in the fed series.
        public var bar: Int
        public var timestamp: Int64
        public var signal: Signal
        /// The context the strategy decided with.
        public var context: StrategyContext
    }

    /// BTC/USDT, the symbol of contexts built by ``context(bar:quantity:entry:barsInPosition:symbol:)``.
    public static let symbol = try! Symbol(parsing: "BTC/USDT")

    /// A context for calling a rule or strategy directly.
    /// - Parameters:
    ///   - bar: the candle index.
    ///   - quantity: the signed position, as a decimal (`"0"` flat, `"1"` long, `"-1"` short).
    ///   - entry: the average entry price, as a decimal.
    ///   - barsInPosition: candles closed since the position opened.
    ///   - symbol: the symbol.
    public static func context(
        bar: Int, quantity: String = "0", entry: String = "0", barsInPosition: Int = 0, symbol: Symbol = symbol
    ) -> StrategyContext {
        let position = decimal(quantity)
        return StrategyContext(
            symbol: symbol, barIndex: bar, positionQuantity: position, entryPrice: decimal(entry),
            entryTime: position.isZero ? nil : TestCandles.newYear2024, barsInPosition: barsInPosition, equity: 10_000)
    }

    /// Runs `strategy` over `candles`.
    /// - Parameters:
    ///   - strategy: the strategy to drive (a copy is mutated).
    ///   - candles: candles in time order.
    ///   - symbol: the symbol shown in the context.
    ///   - allowShort: whether `enter_short` opens a short (else it is reported but ignored).
    /// - Returns: every non-nil signal, in order.
    /// - Throws: whatever the strategy throws.
    public static func run(
        _ strategy: any Strategy, candles: [Candle], symbol: Symbol, allowShort: Bool = false
    ) throws -> [Emitted] {
        var strategy = strategy
        var emitted: [Emitted] = []
        var quantity = Quantity.zero
        var entryPrice = Price.zero
        var entryTime: Int64?
        var entryBar = 0
        for (bar, candle) in candles.enumerated() {
            let context = StrategyContext(
                symbol: symbol, barIndex: bar, positionQuantity: quantity, entryPrice: entryPrice, entryTime: entryTime,
                barsInPosition: quantity.isZero ? 0 : bar - entryBar, equity: 10_000)
            guard let signal = try strategy.onCandle(candle, context: context) else { continue }
            emitted.append(Emitted(bar: bar, timestamp: candle.timestamp, signal: signal, context: context))
            switch signal.action {
            case .enterLong where !quantity.isPositive, .enterShort where allowShort && !quantity.isNegative:
                quantity = signal.action == .enterLong ? .one : -.one
                entryPrice = candle.close
                entryTime = candle.timestamp
                entryBar = bar
            case .exitLong where quantity.isPositive, .exitShort where quantity.isNegative:
                quantity = .zero
                entryPrice = .zero
                entryTime = nil
            default:
                break
            }
        }
        return emitted
    }
}
