import Foundation
import PetrelCore
import PetrelRuntime

/// Binance spot's market data and account reads over REST: klines (paged history), exchange rules,
/// tickers and balances.
extension BinanceClient {
    /// Binance's most klines per request.
    public static let maxKlines = 1_000

    /// One page of closed klines with open times in `[from, to)`, oldest first. The kline still forming
    /// (its close time not yet passed at the venue) is left out.
    public func klines(
        symbol: Symbol, timeframe: Timeframe, from: Int64?, to: Int64?, limit: Int = maxKlines
    ) async throws(ExecutionError) -> [Candle] {
        var parameters = [
            ("symbol", symbol.venueSpelling(.concatenated)), ("interval", timeframe.rawValue),
            ("limit", String(min(Self.maxKlines, max(1, limit)))),
        ]
        if let from { parameters.append(("startTime", String(from))) }
        if let to { parameters.append(("endTime", String(to - 1))) }
        let body = try await get("/api/v3/klines", parameters)
        let venueNow = offset.venueTime(local: now())
        var candles: [Candle] = []
        for (index, row) in try BinanceDecoding.array(body, "klines").enumerated() {
            let (candle, closeTime) = try BinanceDecoding.kline(row, index)
            guard closeTime < venueNow else { continue }
            if let to, candle.timestamp >= to { continue }
            if let last = candles.last, candle.timestamp <= last.timestamp {
                throw .retryable("binance klines: open times are not increasing at index \(index)")
            }
            candles.append(candle)
        }
        return candles
    }

    /// Every closed kline with open time in `[from, to)`, page by page; `page` is told of each page (a
    /// download writes and reports progress).
    public func history(
        symbol: Symbol, timeframe: Timeframe, from: Int64, to: Int64,
        page: (_ candles: [Candle]) async throws -> Void
    ) async throws {
        var start = from
        while start < to {
            let candles = try await klines(symbol: symbol, timeframe: timeframe, from: start, to: to)
            guard let last = candles.last else { return }
            try await page(candles)
            start = last.timestamp + 1
        }
    }

    /// The spot instruments of `exchangeInfo` (all, or the ids given).
    public func instruments(_ ids: [String]? = nil) async throws(ExecutionError) -> [BinanceInstrument] {
        var parameters: [(String, String)] = []
        if let ids {
            if ids.count == 1 {
                parameters.append(("symbol", ids[0]))
            } else {
                parameters.append(("symbols", "[" + ids.map { "\"\($0)\"" }.joined(separator: ",") + "]"))
            }
        }
        let object = try BinanceDecoding.object(try await get("/api/v3/exchangeInfo", parameters), "exchangeInfo")
        guard let symbols = object["symbols"] as? [[String: Any]] else {
            throw .retryable("binance exchangeInfo: no symbols array")
        }
        var instruments: [BinanceInstrument] = []
        for entry in symbols {
            guard let id = entry["symbol"] as? String, let base = entry["baseAsset"] as? String,
                let quote = entry["quoteAsset"] as? String, let status = entry["status"] as? String,
                let symbol = try? Symbol(base: base, quote: quote)
            else { continue }
            let rules = try BinanceDecoding.rules(symbol, filters: entry["filters"] as? [[String: Any]] ?? [])
            instruments.append(BinanceInstrument(id: id, symbol: symbol, status: status, rules: rules))
        }
        return instruments
    }

    /// The trading rules of `symbol`.
    /// - Throws: ``ExecutionError/fatal(_:)`` when Binance does not list it or it no longer trades.
    public func instrumentRules(_ symbol: Symbol) async throws(ExecutionError) -> InstrumentRules {
        let id = symbol.venueSpelling(.concatenated)
        let listed: [BinanceInstrument]
        do {
            listed = try await instruments([id])
        } catch .rejected(let why) where why.contains("-1121") {
            throw .fatal("binance does not list \(symbol) (\(id))")
        }
        guard let instrument = listed.first(where: { $0.id == id }) else {
            throw .fatal("binance does not list \(symbol) (\(id))")
        }
        guard instrument.isTrading else { throw .fatal("binance: \(id) is not trading (status \(instrument.status))") }
        return instrument.rules
    }

    /// Best bid and ask with the last price (`/api/v3/ticker/24hr` for one symbol).
    public func quote(_ symbol: Symbol) async throws(ExecutionError) -> Quote {
        let id = symbol.venueSpelling(.concatenated)
        let ticker = try BinanceDecoding.object(try await get("/api/v3/ticker/24hr", [("symbol", id)]), "ticker/24hr")
        return Quote(
            symbol: symbol, bid: try BinanceDecoding.decimal(ticker["bidPrice"], "\(id) bidPrice"),
            ask: try BinanceDecoding.decimal(ticker["askPrice"], "\(id) askPrice"),
            last: try BinanceDecoding.decimal(ticker["lastPrice"], "\(id) lastPrice"),
            bidSize: try? BinanceDecoding.decimal(ticker["bidQty"], "bidQty"),
            askSize: try? BinanceDecoding.decimal(ticker["askQty"], "askQty"),
            timestamp: (ticker["closeTime"] as? NSNumber)?.int64Value ?? offset.venueTime(local: now()))
    }

    /// Best bid and ask with their sizes (`/api/v3/ticker/bookTicker`, weight 2 for one symbol, 4 for all),
    /// by Binance's symbol id (`BTCUSDT`).
    /// - Parameter symbols: the symbols asked for (`nil`: every symbol).
    public func bookTickers(_ symbols: [Symbol]? = nil) async throws(ExecutionError) -> [String: BookTicker] {
        var parameters: [(String, String)] = []
        if let symbols, symbols.count == 1 {
            parameters = [("symbol", symbols[0].venueSpelling(.concatenated))]
        } else if let symbols {
            let ids = symbols.map { "\"\($0.venueSpelling(.concatenated))\"" }.joined(separator: ",")
            parameters = [("symbols", "[\(ids)]")]
        }
        let body = try await get("/api/v3/ticker/bookTicker", parameters)
        let entries: [Any]
        if symbols?.count == 1 {
            entries = [try BinanceDecoding.object(body, "ticker/bookTicker")]
        } else {
            entries = try BinanceDecoding.array(body, "ticker/bookTicker")
        }
        var result: [String: BookTicker] = [:]
        for case let entry as [String: Any] in entries {
            guard let id = entry["symbol"] as? String else { continue }
            result[id] = BookTicker(
                bid: try BinanceDecoding.decimal(entry["bidPrice"], "\(id) bidPrice"),
                bidSize: try BinanceDecoding.decimal(entry["bidQty"], "\(id) bidQty"),
                ask: try BinanceDecoding.decimal(entry["askPrice"], "\(id) askPrice"),
                askSize: try BinanceDecoding.decimal(entry["askQty"], "\(id) askQty"))
        }
        return result
    }

    /// Last price and 24-hour quote volume of every symbol (`/api/v3/ticker/24hr`, weight 80).
    public func tickers() async throws(ExecutionError) -> [String: (last: Price, quoteVolume: Double)] {
        var result: [String: (last: Price, quoteVolume: Double)] = [:]
        for case let ticker as [String: Any] in try BinanceDecoding.array(
            try await get("/api/v3/ticker/24hr"), "ticker/24hr")
        {
            guard let id = ticker["symbol"] as? String,
                let last = (ticker["lastPrice"] as? String).flatMap(FixedPoint.init),
                let volume = (ticker["quoteVolume"] as? String).flatMap(Double.init)
            else { continue }
            result[id] = (last, volume)
        }
        return result
    }

    /// The account's balances per asset (signed `GET /api/v3/account`, zero balances left out).
    public func balances() async throws(ExecutionError) -> [String: PortfolioLedger.Balance] {
        let body = try await signed("GET", "/api/v3/account", [("omitZeroBalances", "true")], changes: false)
        let account = try BinanceDecoding.object(body, "account")
        guard let balances = account["balances"] as? [[String: Any]] else {
            throw .retryable("binance account: no balances array")
        }
        var result: [String: PortfolioLedger.Balance] = [:]
        for entry in balances {
            guard let asset = entry["asset"] as? String else { continue }
            let balance = PortfolioLedger.Balance(
                free: try BinanceDecoding.decimal(entry["free"], "\(asset) free"),
                locked: try BinanceDecoding.decimal(entry["locked"], "\(asset) locked"))
            if !balance.total.isZero { result[asset] = balance }
        }
        return result
    }
}

/// Binance's spot instruments for symbol discovery and coin search: every symbol that is trading, with
/// its last price and 24-hour quote volume.
public struct BinanceInstrumentDirectory: InstrumentDirectory {
    public let venue = "binance"
    public let isSimulated = false
    let client: BinanceClient

    public init(client: BinanceClient) {
        self.client = client
    }

    public func listInstruments() async throws(ExecutionError) -> [ListedInstrument] {
        let instruments = try await client.instruments()
        let tickers = try await client.tickers()
        return instruments.filter(\.isTrading).map { instrument in
            let ticker = tickers[instrument.id]
            return ListedInstrument(
                venue: venue, symbol: instrument.id, base: instrument.symbol.base, quote: instrument.symbol.quote,
                kind: .spot, lastPrice: ticker?.last, volume24h: ticker?.quoteVolume)
        }
    }
}

/// Binance's best bid and ask of one symbol with the quantities there (`ticker/bookTicker`).
public struct BookTicker: Sendable, Hashable {
    public var bid: Price
    public var bidSize: Quantity
    public var ask: Price
    public var askSize: Quantity

    public init(bid: Price, bidSize: Quantity, ask: Price, askSize: Quantity) {
        self.bid = bid
        self.bidSize = bidSize
        self.ask = ask
        self.askSize = askSize
    }
}
