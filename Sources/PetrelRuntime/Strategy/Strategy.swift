import PetrelCore

/// A trading strategy: the same code runs in backtests, paper and live trading.
///
/// The kernel calls ``onCandle(_:context:)`` once per closed candle of the strategy's symbol and
/// ``onFill(_:context:)`` for each of its fills. Strategies keep their own indicator state, never
/// read the wall clock and never perform I/O.
public protocol Strategy: Sendable {
    /// Closed candles needed before the strategy can produce a signal (its longest indicator warm-up).
    var warmUpBars: Int { get }

    /// Called for every closed candle, in time order.
    /// - Parameters:
    ///   - candle: the candle that just closed.
    ///   - context: the strategy's position and account view at this candle's close.
    /// - Returns: a signal, or `nil` to hold.
    /// - Throws: any error; the kernel stops the run (backtest) or marks the bot crashed (live).
    mutating func onCandle(_ candle: Candle, context: StrategyContext) throws -> Signal?

    /// Called when one of the strategy's orders fills.
    mutating func onFill(_ fill: Fill, context: StrategyContext)
}

extension Strategy {
    public mutating func onFill(_ fill: Fill, context: StrategyContext) {}
}

/// What a strategy sees when it decides: its position and the account.
public struct StrategyContext: Sendable {
    public var symbol: Symbol
    /// Index of the current candle in this symbol's stream (0-based).
    public var barIndex: Int
    /// Signed position size (positive long, negative short, zero flat).
    public var positionQuantity: Quantity
    /// Average entry of the open position (zero when flat).
    public var entryPrice: Price
    /// Unix ms of the position's first fill; `nil` when flat.
    public var entryTime: Int64?
    /// Candles closed since the entry signal's candle: 1 at the close of the candle whose open
    /// filled the entry (so a time exit after N candles holds exactly N candles); 0 when flat.
    public var barsInPosition: Int
    /// Account equity in the quote asset at the last mark.
    public var equity: Double

    public init(
        symbol: Symbol, barIndex: Int, positionQuantity: Quantity, entryPrice: Price, entryTime: Int64?,
        barsInPosition: Int, equity: Double
    ) {
        self.symbol = symbol
        self.barIndex = barIndex
        self.positionQuantity = positionQuantity
        self.entryPrice = entryPrice
        self.entryTime = entryTime
        self.barsInPosition = barsInPosition
        self.equity = equity
    }

    public var isFlat: Bool { positionQuantity.isZero }
    public var isLong: Bool { positionQuantity.isPositive }
    public var isShort: Bool { positionQuantity.isNegative }
}

/// A strategy's decision with the reason a person can read (seed 003's `{signal, reasoning}`).
public struct Signal: Sendable, Hashable, Codable {
    /// What to do.
    public enum Action: String, Sendable, Hashable, Codable, CaseIterable {
        case enterLong = "enter_long"
        case exitLong = "exit_long"
        case enterShort = "enter_short"
        case exitShort = "exit_short"

        /// Seed 003's vocabulary: BUY for entering long or covering a short, SELL otherwise.
        public var seedSignal: String { self == .enterLong || self == .exitShort ? "BUY" : "SELL" }
        public var isEntry: Bool { self == .enterLong || self == .enterShort }
    }

    public var action: Action
    /// Why, in words (shown in logs, trade journals and the dashboard).
    public var reasoning: String
    /// Scales the configured position size, 0–1 (dynamic sizing); `nil` = full size.
    public var sizeFraction: Double?
    /// Limit price for the order; `nil` = market order at the next candle's open.
    public var limitPrice: Price?

    public init(_ action: Action, reasoning: String, sizeFraction: Double? = nil, limitPrice: Price? = nil) {
        self.action = action
        self.reasoning = reasoning
        self.sizeFraction = sizeFraction
        self.limitPrice = limitPrice
    }
}
