import PetrelCore

/// Risk limits of a bot: seed 002's `risk_management` section plus the `trading` limits.
///
/// Percentages are written as in the seed (`5.0` = 5 %); `maxExposure` is a fraction (`1.0` =
/// 100 % of equity); `maxDailyLoss` is an amount of the quote asset.
public struct RiskSettings: Sendable, Hashable, Codable {
    /// Trailing stop: once price has moved `activationPct` in favour, the stop follows the best
    /// price at `trailingPct` behind it.
    public struct TrailingStop: Sendable, Hashable, Codable {
        public var activationPct: Double
        public var trailingPct: Double

        public init(activationPct: Double, trailingPct: Double) {
            self.activationPct = activationPct
            self.trailingPct = trailingPct
        }
    }

    public var stopLossPct: Double?
    public var takeProfitPct: Double?
    public var trailingStop: TrailingStop?
    /// Entries allowed per UTC day.
    public var maxDailyTrades: Int?
    /// Loss (quote units) from the day's opening equity after which no entries are made until the next UTC day.
    public var maxDailyLoss: Money?
    /// Drawdown from the equity peak, in percent, that halts the bot and closes its positions.
    public var maxDrawdownPct: Double?
    /// Concurrent open positions across the bot's symbols.
    public var maxPositions: Int
    /// Gross position value / equity allowed (1.0 = 100 %).
    public var maxExposure: Double?
    /// Time exit: a position open this many minutes is closed at the first candle close at or after
    /// that time (client-side: venues have no time-triggered orders).
    public var timeExitMinutes: Int?
    /// The minutes `time_exit_minutes` allows: one minute to a year.
    public static let timeExitMinutesRange = 1...525_600

    public init(
        stopLossPct: Double? = nil, takeProfitPct: Double? = nil, trailingStop: TrailingStop? = nil,
        maxDailyTrades: Int? = nil, maxDailyLoss: Money? = nil, maxDrawdownPct: Double? = nil, maxPositions: Int = 1,
        maxExposure: Double? = nil, timeExitMinutes: Int? = nil
    ) {
        self.timeExitMinutes = timeExitMinutes
        self.stopLossPct = stopLossPct
        self.takeProfitPct = takeProfitPct
        self.trailingStop = trailingStop
        self.maxDailyTrades = maxDailyTrades
        self.maxDailyLoss = maxDailyLoss
        self.maxDrawdownPct = maxDrawdownPct
        self.maxPositions = maxPositions
        self.maxExposure = maxExposure
    }

    /// No limits except one position at a time.
    public static let none = RiskSettings()
}

/// Whether a bot may open new positions (DESIGN §3).
public enum TradingState: String, Sendable, Hashable, Codable {
    /// Normal trading.
    case active
    /// Only exits: the daily loss limit was reached (until the next UTC day) or an operator asked.
    /// (The daily trade limit only skips entries; it does not change the state.)
    case reducing
    /// Stopped: the drawdown limit or the kill switch; positions are closed and nothing new opens.
    case halted
}
