/// One row of `symbols` (seed 004's symbol management): an instrument the platform tracks, whether it is
/// enabled for trading, and its risk multiplier.
public struct SymbolRecord: Sendable, Hashable {
    /// Assigned by the database.
    public var id: Int64
    /// `okx`, `binance`, `simulated`, …
    public var venue: String
    /// The venue's id (`DOGE-USDT-SWAP`, `BTCUSDT`, `BTC/USDT`); unique per venue.
    public var symbol: String
    public var base: String
    public var quote: String
    /// `spot` or `swap`.
    public var kind: String
    public var isEnabled: Bool
    /// Scales the position size of bots trading the symbol (1 = as configured).
    public var riskMultiplier: Double
    public var notes: String
    /// Unix ms.
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(
        id: Int64 = 0, venue: String, symbol: String, base: String, quote: String, kind: String,
        isEnabled: Bool = true, riskMultiplier: Double = 1, notes: String = "", createdAt: Int64,
        updatedAt: Int64? = nil
    ) {
        self.id = id
        self.venue = venue
        self.symbol = symbol
        self.base = base
        self.quote = quote
        self.kind = kind
        self.isEnabled = isEnabled
        self.riskMultiplier = riskMultiplier
        self.notes = notes
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }
}
