import PetrelCore

/// Everything the kernel needs besides its strategies.
public struct KernelConfiguration: Sendable {
    /// Used for deterministic client order ids.
    public var botID: String
    public var risk: RiskSettings
    public var sizing: PositionSizing
    /// Whether short entries are taken (spot bots: no).
    public var allowShort: Bool
    /// Fraction of an entry's value kept back for fees and slippage when sizing against cash.
    public var costReserve: Double
    /// Starting cash in the quote asset.
    public var initialCash: Money
    /// The last order sequence number already used by this bot (0 for a new bot). A restarted bot
    /// passes the highest stored sequence so that it never reissues a client order id.
    public var lastOrderSequence: UInt64
    /// On how many following intervals (candles) an entry refused for insufficient balance, by
    /// sizing or by the venue, or by a venue that had no price yet, is tried again while the strategy gives no newer signal (seed 003:
    /// "waits for balance … continues checking"). 0 drops such an entry at once.
    public var entryRetryIntervals: Int

    /// Where stop-loss, trailing stop and take-profit live.
    public var protection: ProtectionMode

    /// The retry budget live and paper bots use (see ``entryRetryIntervals``).
    public static let defaultEntryRetryIntervals = 3

    public init(
        botID: String, risk: RiskSettings = .none, sizing: PositionSizing = .percentOfEquity(1),
        allowShort: Bool = false, costReserve: Double = 0.002, initialCash: Money, lastOrderSequence: UInt64 = 0,
        entryRetryIntervals: Int = 0, protection: ProtectionMode = .venueOrders
    ) {
        self.protection = protection
        self.lastOrderSequence = lastOrderSequence
        self.entryRetryIntervals = Swift.max(0, entryRetryIntervals)
        self.botID = botID
        self.risk = risk
        self.sizing = sizing
        self.allowShort = allowShort
        self.costReserve = costReserve
        self.initialCash = initialCash
    }
}

/// Where a bot's protective exits are kept.
public enum ProtectionMode: String, Sendable, Hashable, Codable {
    /// Resting orders at the venue: a stop-market order for the stop-loss (moved by the trailing
    /// stop) and a reduce-only limit for the take-profit. They work even while the bot is down.
    case venueOrders = "venue_orders"
    /// The kernel watches the levels at every candle close (the candle's low and high) and sends a
    /// reduce-only market order when one is crossed: for venues without stop orders.
    case clientSide = "client_side"
}

/// A symbol the kernel trades, with its rules and its strategy instance.
public struct KernelInstrument: Sendable {
    public var rules: InstrumentRules
    public var strategy: any Strategy
    /// The candles' timeframe, so a candle's close time is known (the time exit); without it a
    /// candle counts as closing at its open time, which exits one candle later.
    public var timeframe: Timeframe?

    public init(rules: InstrumentRules, strategy: any Strategy, timeframe: Timeframe? = nil) {
        self.rules = rules
        self.strategy = strategy
        self.timeframe = timeframe
    }
}
