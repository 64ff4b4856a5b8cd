import Foundation
import Logging
import PetrelCore
import PetrelRuntime

/// One OKX instrument (`/api/v5/public/instruments`), spot or USDT-margined perpetual swap.
public struct OKXInstrument: Sendable, Hashable {
    /// OKX's id (`BTC-USDT`, `BTC-USDT-SWAP`).
    public var id: String
    public var symbol: Symbol
    /// `live`, `suspend`, `preopen`, `test`.
    public var state: String
    /// Base currency per contract (swaps; 1 for spot): base quantity = contracts × `contractValue`.
    public var contractValue: FixedPoint
    /// Rules in base-currency quantities (a swap's lot and minimum size are contracts × `contractValue`).
    public var rules: InstrumentRules

    public var isLive: Bool { state == "live" }

    /// Contracts for a base quantity (swaps); the quantity itself for spot.
    /// - Throws: ``ExecutionError/rejected(_:)`` unless the quantity is a whole number of lots (`lotSz`
    ///   contracts × `ctVal`), so what OKX fills is exactly what was asked for.
    public func contracts(forBase quantity: Quantity) throws(ExecutionError) -> FixedPoint {
        let step = rules.stepSize
        guard quantity.isPositive, quantity.isMultiple(ofStep: step),
            let contracts = try? quantity.divided(by: contractValue),
            (try? contracts.multiplied(by: contractValue)) == quantity
        else {
            throw .rejected(
                "okx \(id): quantity \(quantity) is not a positive multiple of the lot \(step) (contracts × ctVal \(contractValue))"
            )
        }
        return contracts
    }

    /// The base quantity of `contracts` (swaps); the quantity itself for spot.
    public func base(forContracts contracts: FixedPoint) -> Quantity {
        (try? contracts.multiplied(by: contractValue)) ?? contracts
    }

    /// Whether this is a perpetual swap (quantities in contracts at OKX).
    public var isSwap: Bool { symbol.kind == .perpetual }
}

/// OKX's market data and account reads: instruments and their rules, candles (newest first at OKX,
/// oldest first here), tickers and balances.
extension OKXClient {
    /// OKX's spelling of a timeframe (`bar`): hours and days in capitals, the UTC variants from 6 hours up.
    /// - Throws: ``ExecutionError/fatal(_:)`` for 8 hours, which OKX does not have.
    public static func bar(_ timeframe: Timeframe) throws(ExecutionError) -> String {
        switch timeframe {
        case .m1, .m3, .m5, .m15, .m30: return timeframe.rawValue
        case .h1: return "1H"
        case .h2: return "2H"
        case .h4: return "4H"
        case .h6: return "6Hutc"
        case .h12: return "12Hutc"
        case .d1: return "1Dutc"
        case .d3: return "3Dutc"
        case .w1: return "1Wutc"
        case .month1: return "1Mutc"
        case .h8: throw .fatal("okx has no 8-hour candles (bars: 1m 3m 5m 15m 30m 1H 2H 4H 6H 12H 1D 3D 1W 1M)")
        }
    }

    /// OKX's id of a symbol: `BTC-USDT` (spot) or `BTC-USDT-SWAP` (perpetual).
    public static func instrumentID(_ symbol: Symbol) -> String {
        symbol.venueSpelling(symbol.kind == .perpetual ? .okxSwap : .dashed)
    }

    /// The instruments of one type (`SPOT` or `SWAP`; swaps: USDT-margined linear ones only).
    public func instruments(type: String, id: String? = nil) async throws(ExecutionError) -> [OKXInstrument] {
        var parameters = [("instType", type)]
        if let id { parameters.append(("instId", id)) }
        var result: [OKXInstrument] = []
        for case let entry as [String: Any] in try await get("/api/v5/public/instruments", parameters) {
            // One element Petrel cannot read (an odd tick size) does not hide the others.
            do {
                guard let instrument = try Self.instrument(entry) else { continue }
                result.append(instrument)
            } catch {
                logger.warning("okx instruments: an element was skipped: \(error)")
            }
        }
        return result
    }

    /// One instrument of `instruments`, or `nil` for kinds Petrel does not trade (inverse or coin-margined
    /// swaps, futures, options).
    static func instrument(_ entry: [String: Any]) throws(ExecutionError) -> OKXInstrument? {
        guard let id = entry["instId"] as? String, let type = entry["instType"] as? String,
            let state = entry["state"] as? String
        else { throw .retryable("okx instruments: an element without instId, instType or state") }
        func decimal(_ key: String) throws(ExecutionError) -> FixedPoint {
            guard let text = entry[key] as? String, let value = FixedPoint(text) else {
                throw .retryable(
                    "okx instruments: \(id) \(key) is not a decimal string (\(String(describing: entry[key])))")
            }
            return value
        }
        let symbol: Symbol
        let contractValue: FixedPoint
        switch type {
        case "SPOT":
            guard let base = entry["baseCcy"] as? String, let quote = entry["quoteCcy"] as? String,
                let spot = try? Symbol(base: base, quote: quote)
            else { return nil }
            symbol = spot
            contractValue = .one
        case "SWAP":
            guard entry["ctType"] as? String == "linear", entry["settleCcy"] as? String == "USDT",
                let base = entry["ctValCcy"] as? String,
                let swap = try? Symbol(base: base, quote: "USDT", kind: .perpetual)
            else { return nil }
            symbol = swap
            let multiplier = (entry["ctMult"] as? String).flatMap(FixedPoint.init) ?? .one
            guard let value = try? decimal("ctVal").multiplied(by: multiplier.isZero ? .one : multiplier),
                value.isPositive
            else { throw .retryable("okx instruments: \(id) ctVal × ctMult is not a positive decimal") }
            contractValue = value
        default:
            return nil
        }
        let lot = try decimal("lotSz")
        let minimum = try decimal("minSz")
        let tick = try decimal("tickSz")
        do {
            let rules = try InstrumentRules(
                symbol: symbol, tickSize: tick, stepSize: try lot.multiplied(by: contractValue),
                minQuantity: try minimum.multiplied(by: contractValue), maxQuantity: nil, minNotional: .zero)
            return OKXInstrument(
                id: id, symbol: symbol, state: state, contractValue: contractValue, rules: rules)
        } catch let error as ExecutionError {
            throw error
        } catch {
            throw .retryable("okx instruments: \(id): \(error)")
        }
    }

    /// The instrument of `symbol`.
    /// - Throws: ``ExecutionError/fatal(_:)`` when OKX does not list it.
    public func instrument(_ symbol: Symbol) async throws(ExecutionError) -> OKXInstrument {
        let id = Self.instrumentID(symbol)
        let listed: [OKXInstrument]
        do {
            listed = try await instruments(type: symbol.kind == .perpetual ? "SWAP" : "SPOT", id: id)
        } catch .rejected(let why) where why.contains("51001") {
            listed = []
        }
        guard let instrument = listed.first(where: { $0.id == id }) else {
            throw .fatal("okx does not list \(symbol) (\(id))")
        }
        return instrument
    }

    /// One page of confirmed candles, oldest first: at most `limit` (≤ 100) opened before `before` (OKX's
    /// `after`), from `/api/v5/market/history-candles`, or with `recent` from `/api/v5/market/candles` (the
    /// latest 1,440, updated as they form; the forming one is left out either way).
    public func candles(
        symbol: Symbol, timeframe: Timeframe, openedBefore before: Int64?, limit: Int = 100, recent: Bool = false
    ) async throws(ExecutionError) -> [Candle] {
        var parameters = [
            ("instId", Self.instrumentID(symbol)), ("bar", try Self.bar(timeframe)),
            ("limit", String(min(100, max(1, limit)))),
        ]
        if let before { parameters.append(("after", String(before))) }
        var candles: [Candle] = []
        let path = recent ? "/api/v5/market/candles" : "/api/v5/market/history-candles"
        for (index, value) in try await get(path, parameters).enumerated() {
            guard let row = value as? [String], row.count >= 9 else {
                throw .retryable("okx candles[\(index)]: expected an array of 9 strings")
            }
            // `confirm` "0": still forming.
            guard row[8] == "1" else { continue }
            guard let time = Int64(row[0]), let open = FixedPoint(row[1]), let high = FixedPoint(row[2]),
                let low = FixedPoint(row[3]), let close = FixedPoint(row[4]), let volume = FixedPoint(row[5])
            else { throw .retryable("okx candles[\(index)]: not numbers: \(row.prefix(6))") }
            candles.append(Candle(timestamp: time, open: open, high: high, low: low, close: close, volume: volume))
        }
        candles.reverse()
        for index in candles.indices.dropFirst() where candles[index].timestamp <= candles[index - 1].timestamp {
            throw .retryable("okx candles: open times are not decreasing at index \(candles.count - 1 - index)")
        }
        return candles
    }

    /// Every confirmed candle with open time in `[from, to)`, oldest first, handed over in pages of up to
    /// 1,000. OKX pages backwards from the newest, so the window is read whole before the first page.
    public func history(
        symbol: Symbol, timeframe: Timeframe, from: Int64, to: Int64, page: (_ candles: [Candle]) async throws -> Void
    ) async throws {
        var collected: [Candle] = []
        var cursor = to
        while cursor > from {
            let candles = try await candles(symbol: symbol, timeframe: timeframe, openedBefore: cursor)
            guard let oldest = candles.first, oldest.timestamp < cursor else { break }
            collected.insert(contentsOf: candles.filter { $0.timestamp >= from && $0.timestamp < to }, at: 0)
            cursor = oldest.timestamp
        }
        var start = collected.startIndex
        while start < collected.endIndex {
            let end = min(start + 1_000, collected.endIndex)
            try await page(Array(collected[start..<end]))
            start = end
        }
    }

    /// Best bid, best ask and last price of `symbol` (`/api/v5/market/ticker`).
    public func quote(_ symbol: Symbol) async throws(ExecutionError) -> Quote {
        let id = Self.instrumentID(symbol)
        guard let ticker = try await get("/api/v5/market/ticker", [("instId", id)]).first as? [String: Any] else {
            throw .retryable("okx ticker \(id): no data")
        }
        func price(_ key: String) throws(ExecutionError) -> Price {
            guard let value = (ticker[key] as? String).flatMap(FixedPoint.init), value.isPositive else {
                throw .retryable(
                    "okx ticker \(id): \(key) is not a positive decimal (\(String(describing: ticker[key])))")
            }
            return value
        }
        let time = (ticker["ts"] as? String).flatMap { Int64($0) } ?? offset.venueTime(local: now())
        return Quote(
            symbol: symbol, bid: try price("bidPx"), ask: try price("askPx"), last: try price("last"), timestamp: time)
    }

    /// Last price and 24-hour traded value in the quote currency of every instrument of a type.
    public func tickers(type: String) async throws(ExecutionError) -> [String: (last: Price, quoteVolume: Double)] {
        var result: [String: (last: Price, quoteVolume: Double)] = [:]
        for case let ticker as [String: Any] in try await get("/api/v5/market/tickers", [("instType", type)]) {
            guard let id = ticker["instId"] as? String, let last = (ticker["last"] as? String).flatMap(FixedPoint.init),
                let volume = (ticker["volCcy24h"] as? String).flatMap(Double.init)
            else { continue }
            // Spot's volCcy24h is already in the quote currency; a swap's is in its base currency.
            let quoteVolume = type == "SWAP" ? volume * Double(last.description)! : volume
            result[id] = (last, quoteVolume)
        }
        return result
    }

    /// The trading account's balances per currency (signed `GET /api/v5/account/balance`).
    public func balances() async throws(ExecutionError) -> [String: PortfolioLedger.Balance] {
        let data = try await signed("GET", "/api/v5/account/balance", changes: false)
        guard let account = data.first as? [String: Any], let details = account["details"] as? [[String: Any]] else {
            throw .retryable("okx account/balance: no details array")
        }
        var result: [String: PortfolioLedger.Balance] = [:]
        for detail in details {
            guard let currency = detail["ccy"] as? String else { continue }
            guard let available = (detail["availBal"] as? String).flatMap(FixedPoint.init),
                let frozen = (detail["frozenBal"] as? String).flatMap(FixedPoint.init)
            else { throw .retryable("okx account/balance: \(currency) availBal or frozenBal is not a decimal") }
            let balance = PortfolioLedger.Balance(free: available, locked: frozen)
            if !balance.total.isZero { result[currency] = balance }
        }
        return result
    }
}

/// OKX's instruments for symbol discovery (seed 004's "discover"): live USDT-margined perpetual swaps
/// with their last price and 24-hour traded value in USDT.
public struct OKXInstrumentDirectory: InstrumentDirectory {
    public let venue = "okx"
    public let isSimulated = false
    let client: OKXClient

    public init(client: OKXClient) {
        self.client = client
    }

    public func listInstruments() async throws(ExecutionError) -> [ListedInstrument] {
        let instruments = try await client.instruments(type: "SWAP")
        let tickers = try await client.tickers(type: "SWAP")
        return instruments.filter(\.isLive).map { instrument in
            let ticker = tickers[instrument.id]
            return ListedInstrument(
                venue: venue, symbol: instrument.id, base: instrument.symbol.base, quote: instrument.symbol.quote,
                kind: .swap, lastPrice: ticker?.last, volume24h: ticker?.quoteVolume)
        }
    }
}
