import Foundation
import HTTPTypes
import PetrelCore
import Synchronization

extension FakeIBKR {
    /// The bars of `conid` the history endpoint serves (replacing any), for every bar size asked.
    public func setBars(conid: Int64, _ bars: [Candle]) {
        state.withLock { $0.bars[conid] = bars.sorted { $0.timestamp < $1.timestamp } }
    }

    /// Adds a bar (replacing one with the same open time).
    public func appendBar(conid: Int64, _ bar: Candle) {
        state.withLock { state in
            var bars = state.bars[conid, default: []].filter { $0.timestamp != bar.timestamp }
            bars.append(bar)
            state.bars[conid] = bars.sorted { $0.timestamp < $1.timestamp }
        }
    }

    /// `1min`, `2h`, `1d`, `1w` as milliseconds; `nil` for a spelling IBKR does not take. Months (`m`) and
    /// years (`y`) count 31 and 366 days.
    static func duration(_ text: String, units: [String: Int64]) -> Int64? {
        for (unit, milliseconds) in units.sorted(by: { $0.key.count > $1.key.count }) where text.hasSuffix(unit) {
            guard let count = Int64(text.dropLast(unit.count)), count > 0 else { return nil }
            return count * milliseconds
        }
        return nil
    }

    static let minute: Int64 = 60_000
    static let barUnits: [String: Int64] = [
        "min": minute, "h": 60 * minute, "d": 1_440 * minute, "w": 7 * 1_440 * minute, "m": 31 * 1_440 * minute,
    ]
    static let periodUnits = barUnits.merging(["y": 366 * 1_440 * minute]) { $1 }

    /// `GET /iserver/marketdata/history`: the stored bars opened within `period` back from now, at most
    /// 1,000, then a bar still forming (the current bucket at the last price) unless one is stored there.
    /// The bar size only sets where the forming bar starts; stored bars are served as they are.
    func history(conid: String, period: String, bar: String) throws -> String {
        let allowedBars =
            ["1min", "2min", "3min", "5min", "10min", "15min", "30min", "1h", "2h", "3h", "4h", "8h"]
            + ["1d", "1w", "1m"]
        guard allowedBars.contains(bar), let barLength = Self.duration(bar, units: Self.barUnits) else {
            throw Refusal(status: .badRequest, message: "Bad Request: invalid bar size \(bar)")
        }
        guard let span = Self.duration(period, units: Self.periodUnits) else {
            throw Refusal(status: .badRequest, message: "Bad Request: invalid period \(period)")
        }
        let now = Self.now
        return try state.withLock { state in
            guard let id = Int64(conid), let contract = state.contracts.first(where: { $0.conid == id }) else {
                throw Refusal(status: .badRequest, message: "Bad Request: unknown conid \(conid)")
            }
            var bars = Array(state.bars[id, default: []].filter { $0.timestamp >= now - span }.suffix(1_000))
            let forming = now / barLength * barLength
            if barLength <= 1_440 * Self.minute, !bars.contains(where: { $0.timestamp >= forming }) {
                let price = contract.last
                bars.append(
                    Candle(timestamp: forming, open: price, high: price, low: price, close: price, volume: .one))
            }
            let data = bars.map { bar in
                #"{"o":\#(bar.open),"c":\#(bar.close),"h":\#(bar.high),"l":\#(bar.low),"v":\#(bar.volume),"t":\#(bar.timestamp)}"#
            }
            let start = bars.first.map { "\($0.timestamp)" } ?? "\(now)"
            return
                #"{"serverId":"20477","symbol":"\#(contract.symbol)","text":"\#(contract.companyName)","priceFactor":100,"startTime":"\#(start)","high":"0/0/0","low":"0/0/0","timePeriod":"\#(period)","barLength":\#(barLength / 1_000),"mdAvailability":"S","mktDataDelay":0,"outsideRth":false,"volumeFactor":1,"priceDisplayRule":1,"priceDisplayValue":"2","negativeCapable":false,"messageVersion":2,"data":[\#(data.joined(separator: ","))],"points":\#(bars.count),"travelTime":12}"#
        }
    }
}
