import PetrelCore

/// One instrument a venue lists, as symbol discovery shows it (seed 004's "discover").
public struct ListedInstrument: Sendable, Hashable, Codable {
    /// What kind of market.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case spot
        case swap
    }

    /// The venue's name (`okx`, `binance`, `simulated`).
    public var venue: String
    /// The venue's own id: `BTC-USDT-SWAP` on OKX, `BTCUSDT` on Binance, `BTC/USDT` on the simulated venue.
    public var symbol: String
    public var base: String
    public var quote: String
    public var kind: Kind
    /// Last traded price, when the venue gave one.
    public var lastPrice: Price?
    /// Traded value over the last 24 hours in the quote asset, when the venue gave one (statistics, so `Double`).
    public var volume24h: Double?

    public init(
        venue: String, symbol: String, base: String, quote: String, kind: Kind, lastPrice: Price? = nil,
        volume24h: Double? = nil
    ) {
        self.venue = venue
        self.symbol = symbol
        self.base = base
        self.quote = quote
        self.kind = kind
        self.lastPrice = lastPrice
        self.volume24h = volume24h
    }
}

/// The port through which a venue's tradable instruments are listed (symbol discovery and coin search).
/// Venue adapters implement it from their instrument and ticker endpoints.
public protocol InstrumentDirectory: Sendable {
    /// The venue's name.
    var venue: String { get }
    /// Whether its prices are simulated (shown as such to users).
    var isSimulated: Bool { get }
    /// Every instrument the venue lists as live now, with its last price and 24-hour traded value where known.
    func listInstruments() async throws(ExecutionError) -> [ListedInstrument]
}
