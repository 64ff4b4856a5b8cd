import PetrelCore
import PetrelMarketData
import PetrelRuntime

/// The simulated venue's instruments: spot pairs and USDT swaps on the bases seed 004 names, each priced by
/// its own seeded synthetic path. The last price and the 24-hour traded value are computed from the last
/// 24 hourly candles of that path for the current UTC day, so they move from day to day like a market's
/// would. None of it is a real price.
public struct SimulatedInstrumentDirectory: InstrumentDirectory {
    /// seed 004's "popular symbols" plus the pairs the shared data has.
    public static let bases = [
        "BTC", "ETH", "BNB", "UNI", "AAVE", "COMP", "SOL", "AVAX", "ADA", "ARB", "OP", "SUI", "DOGE", "XRP",
    ]

    public let venue = "simulated"
    public var isSimulated: Bool { true }
    let seed: UInt64
    let clock: any TradingClock

    public init(seed: UInt64 = 20_260_101, clock: any TradingClock) {
        self.seed = seed
        self.clock = clock
    }

    public func listInstruments() async throws(ExecutionError) -> [ListedInstrument] {
        let day = clock.now() / 86_400_000
        var listed: [ListedInstrument] = []
        for base in Self.bases {
            guard let pair = try? Symbol(parsing: "\(base)/USDT") else { continue }
            let (price, volume) = statistics(of: pair, day: day)
            listed.append(
                ListedInstrument(
                    venue: venue, symbol: "\(base)/USDT", base: base, quote: "USDT", kind: .spot, lastPrice: price,
                    volume24h: volume))
            let (swapPrice, swapVolume) = statistics(of: pair, day: day ^ 0x5A5A)
            listed.append(
                ListedInstrument(
                    venue: venue, symbol: "\(base)-USDT-SWAP", base: base, quote: "USDT", kind: .swap,
                    lastPrice: swapPrice, volume24h: swapVolume))
        }
        return listed
    }

    /// Last close and Σ close × volume of 24 hourly candles of the pair's path for `day`.
    func statistics(of pair: Symbol, day: Int64) -> (Price, Double) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in pair.description.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let series = SyntheticMarket.generate(
            SyntheticMarket.Configuration(
                seed: seed ^ hash ^ UInt64(truncatingIfNeeded: day), symbol: pair,
                startPrice: SimulatedQuoteClient.Configuration.startPrice(for: pair),
                startTimestamp: day * 86_400_000, timeframe: .h1, count: 24))
        var value = 0.0
        for candle in series.candles { value += candle.close.doubleValue * candle.volume.doubleValue }
        return (series.candles.last?.close ?? .zero, value)
    }
}
