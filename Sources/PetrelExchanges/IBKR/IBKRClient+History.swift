import Foundation
import PetrelCore
import PetrelRuntime

extension IBKRClient {
    /// The most data points one `GET /iserver/marketdata/history` answer holds.
    public static let maxHistoryPoints = 1_000

    /// IBKR's `bar` for a timeframe (`1min`, `5min`, `1h`, `1d`, `1w`, `1m` for a month), or `nil` for
    /// the timeframes it has no bars of (`6h`, `12h`, `3d`).
    ///
    /// The gateway's bar sizes are `1min 2min 3min 5min 10min 15min 30min 1h 2h 3h 4h 8h 1d 1w 1m`.
    public static func bar(_ timeframe: Timeframe) -> String? {
        switch timeframe {
        case .m1: return "1min"
        case .m3: return "3min"
        case .m5: return "5min"
        case .m15: return "15min"
        case .m30: return "30min"
        case .h1: return "1h"
        case .h2: return "2h"
        case .h4: return "4h"
        case .h8: return "8h"
        case .d1: return "1d"
        case .w1: return "1w"
        case .month1: return "1m"
        case .h6, .h12, .d3: return nil
        }
    }

    /// IBKR's `period` covering at least `milliseconds` back from now, in the coarsest unit that does not
    /// pass its limits (`1-30min`, `1-8h`, `1-1000d`, then weeks), rounded up.
    public static func period(milliseconds: Int64) -> String {
        let minute: Int64 = 60_000
        let span = max(minute, milliseconds)
        func up(_ unit: Int64) -> Int64 { (span + unit - 1) / unit }
        if up(minute) <= 30 { return "\(up(minute))min" }
        if up(60 * minute) <= 8 { return "\(up(60 * minute))h" }
        if up(1_440 * minute) <= 1_000 { return "\(up(1_440 * minute))d" }
        return "\(min(792, up(7 * 1_440 * minute)))w"
    }

    /// The bars of `conid` over the last `period` (`GET /iserver/marketdata/history?conid=&period=&bar=`),
    /// oldest first, the bar still forming included: prices and volumes as exact decimals (`t` is the
    /// bar's open time in Unix ms). Regular trading hours only (`outsideRth` is not sent).
    /// - Throws: ``ExecutionError/rejected(_:)`` with the gateway's text for an error object (an unknown
    ///   conid, a period and bar it refuses); ``ExecutionError/retryable(_:)`` for a malformed bar.
    public func history(conid: Int64, period: String, bar: String) async throws(ExecutionError) -> [Candle] {
        let answer = try await send(
            "GET", "/iserver/marketdata/history", query: "conid=\(conid)&period=\(period)&bar=\(bar)",
            needsAccounts: true)
        if let error = IBKRDecoding.errorText(answer) {
            throw .rejected("ibkr history of conid \(conid) (\(period), \(bar)): \(error)")
        }
        guard case .object(let root) = answer else {
            throw .retryable("ibkr history of conid \(conid): expected a JSON object")
        }
        var candles: [Candle] = []
        for case .object(let bar) in IBKRDecoding.array(root["data"]) {
            guard let time = IBKRDecoding.integer(bar["t"]) else {
                throw .retryable("ibkr history of conid \(conid): a bar without its time (\(bar))")
            }
            candles.append(
                Candle(
                    timestamp: time, open: try IBKRDecoding.decimal(bar["o"], "bar open"),
                    high: try IBKRDecoding.decimal(bar["h"], "bar high"),
                    low: try IBKRDecoding.decimal(bar["l"], "bar low"),
                    close: try IBKRDecoding.decimal(bar["c"], "bar close"),
                    volume: try IBKRDecoding.optionalDecimal(bar["v"], "bar volume") ?? .zero))
        }
        // Oldest first, one bar per open time (the last one given wins).
        var byTime: [Int64: Candle] = [:]
        for candle in candles { byTime[candle.timestamp] = candle }
        return byTime.values.sorted { $0.timestamp < $1.timestamp }
    }
}
