import PetrelCore
import PetrelTestSupport
import Testing

/// Real candle files from the shared market-data folder used by the reference tests.
enum Dataset: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// Binance BTC/USDT 1m, January 2024, first 3,000 bars (prices ~42,000).
    case btcusdt = "binance_BTCUSDT_1m_2024-01.csv"
    /// Bittrex ETH/BTC 5m, January 2018, first 3,000 bars (prices ~0.09: small numbers).
    case ethbtc = "bittrex_ETHBTC_5m_2018-01.csv"

    var testDescription: String { rawValue }

    /// The candles, loaded once per process.
    var candles: [Candle] {
        get throws {
            switch self {
            case .btcusdt: return try MarketData.btcusdt.get()
            case .ethbtc: return try MarketData.ethbtc.get()
            }
        }
    }

    /// The file's columns as `Double`s.
    var series: Series { get throws { Series(try candles) } }

    /// A typical price level, to scale absolute tolerances.
    var priceScale: Double {
        switch self {
        case .btcusdt: return 42_000
        case .ethbtc: return 0.09
        }
    }
}

/// Cached loads (parsing a file once per test process keeps the suite quick).
enum MarketData {
    static let btcusdt = Result { try Fixtures.canonicalCandles(Dataset.btcusdt.rawValue, limit: 3_000) }
    static let ethbtc = Result { try Fixtures.canonicalCandles(Dataset.ethbtc.rawValue, limit: 3_000) }
    /// The whole month of BTC/USDT 1m (44,640 bars), for numerical-drift tests.
    static let btcusdtMonth = Result { try Fixtures.canonicalCandles(Dataset.btcusdt.rawValue) }
    /// XRP/ETH 1m with 1,091 real zero-volume bars.
    static let xrpeth = Result { try Fixtures.canonicalCandles("binance_XRPETH_1m_2019-10.csv") }
}

/// Candle columns as plain arrays, for the naive reference formulas.
struct Series {
    let timestamps: [Int64]
    let highs: [Double]
    let lows: [Double]
    let closes: [Double]
    let volumes: [Double]

    init(_ candles: [Candle]) {
        timestamps = candles.map(\.timestamp)
        highs = candles.map(\.high.doubleValue)
        lows = candles.map(\.low.doubleValue)
        closes = candles.map(\.close.doubleValue)
        volumes = candles.map(\.volume.doubleValue)
    }

    var count: Int { closes.count }
}
