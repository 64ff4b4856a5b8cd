/// One closed trade (round trip) as the statistics need it; the backtest engine and the trade
/// history map their records to this.
public struct TradeOutcome: Sendable, Hashable, Codable {
    /// Time the position was opened, Unix ms (UTC).
    public var entryTime: Int64
    /// Time the position was closed, Unix ms (UTC).
    public var exitTime: Int64
    /// Realised profit or loss in quote currency, **net of fees** (entry and exit).
    public var pnl: Double
    /// Return on the capital the trade committed (0.02 = +2 %), net of fees.
    public var returnFraction: Double
    /// Fees paid on the trade (entry and exit), in quote currency, as a positive number.
    public var fees: Double
    /// `true` for a long trade, `false` for a short one.
    public var isLong: Bool
    /// Traded symbol (e.g. `BTCUSDT`), for per-symbol statistics; optional.
    public var symbol: String?

    /// Creates a trade outcome.
    /// - Parameters:
    ///   - entryTime: open time, Unix ms.
    ///   - exitTime: close time, Unix ms.
    ///   - pnl: realised P&L net of fees.
    ///   - returnFraction: return on committed capital, net of fees.
    ///   - fees: fees paid (positive).
    ///   - isLong: long (`true`) or short (`false`).
    ///   - symbol: traded symbol, if known.
    /// - Complexity: O(1).
    public init(
        entryTime: Int64,
        exitTime: Int64,
        pnl: Double,
        returnFraction: Double,
        fees: Double = 0,
        isLong: Bool = true,
        symbol: String? = nil
    ) {
        self.entryTime = entryTime
        self.exitTime = exitTime
        self.pnl = pnl
        self.returnFraction = returnFraction
        self.fees = fees
        self.isLong = isLong
        self.symbol = symbol
    }

    /// `true` when the trade made money (`pnl > 0`).
    public var isWin: Bool { pnl > 0 }
    /// `true` when the trade lost money (`pnl < 0`).
    public var isLoss: Bool { pnl < 0 }
    /// How long the position was held, in milliseconds.
    public var holdingMilliseconds: Int64 { exitTime - entryTime }
}
