import Foundation
import PetrelCore
import PetrelRuntime

/// Binance's JSON answers turned into Petrel's types; anything that does not have the documented shape
/// is an error naming the endpoint and the member (§1.5, §1.7).
enum BinanceDecoding {
    /// The JSON value of a body.
    static func json(_ body: Data, _ endpoint: String) throws(ExecutionError) -> Any {
        guard let value = try? JSONSerialization.jsonObject(with: body) else {
            throw .retryable(
                "binance \(endpoint): the answer is not JSON: \(String(decoding: body.prefix(120), as: UTF8.self))")
        }
        return value
    }

    static func object(_ body: Data, _ endpoint: String) throws(ExecutionError) -> [String: Any] {
        guard let object = try json(body, endpoint) as? [String: Any] else {
            throw .retryable("binance \(endpoint): expected a JSON object")
        }
        return object
    }

    static func array(_ body: Data, _ endpoint: String) throws(ExecutionError) -> [Any] {
        guard let array = try json(body, endpoint) as? [Any] else {
            throw .retryable("binance \(endpoint): expected a JSON array")
        }
        return array
    }

    /// A decimal string member (`"0.01634790"`).
    static func decimal(_ value: Any?, _ what: String) throws(ExecutionError) -> FixedPoint {
        guard let text = value as? String, let number = FixedPoint(text) else {
            throw .retryable("binance: \(what) is not a decimal string (\(String(describing: value)))")
        }
        return number
    }

    static func integer(_ value: Any?, _ what: String) throws(ExecutionError) -> Int64 {
        guard let number = value as? NSNumber else {
            throw .retryable("binance: \(what) is not a number (\(String(describing: value)))")
        }
        return number.int64Value
    }

    /// One kline (§1.5): open time, open, high, low, close, volume, close time, …
    static func kline(_ value: Any, _ index: Int) throws(ExecutionError) -> (candle: Candle, closeTime: Int64) {
        guard let row = value as? [Any], row.count >= 7 else {
            throw .retryable("binance klines[\(index)]: expected an array of at least 7 members")
        }
        let what = "klines[\(index)]"
        let candle = Candle(
            timestamp: try integer(row[0], "\(what)[0] (open time)"), open: try decimal(row[1], "\(what)[1] (open)"),
            high: try decimal(row[2], "\(what)[2] (high)"), low: try decimal(row[3], "\(what)[3] (low)"),
            close: try decimal(row[4], "\(what)[4] (close)"), volume: try decimal(row[5], "\(what)[5] (volume)"))
        return (candle, try integer(row[6], "\(what)[6] (close time)"))
    }

    /// The trading rules in a symbol's `filters` (PRICE_FILTER, LOT_SIZE, NOTIONAL or MIN_NOTIONAL).
    static func rules(_ symbol: Symbol, filters: [[String: Any]]) throws(ExecutionError) -> InstrumentRules {
        func filter(_ type: String) -> [String: Any]? { filters.first { $0["filterType"] as? String == type } }
        guard let price = filter("PRICE_FILTER"), let lot = filter("LOT_SIZE") else {
            throw .retryable("binance exchangeInfo: \(symbol) has no PRICE_FILTER or LOT_SIZE filter")
        }
        let tick = try decimal(price["tickSize"], "\(symbol) PRICE_FILTER.tickSize")
        let step = try decimal(lot["stepSize"], "\(symbol) LOT_SIZE.stepSize")
        let minQuantity = try decimal(lot["minQty"], "\(symbol) LOT_SIZE.minQty")
        let maxQuantity = try decimal(lot["maxQty"], "\(symbol) LOT_SIZE.maxQty")
        var minNotional = FixedPoint.zero
        if let notional = filter("NOTIONAL") ?? filter("MIN_NOTIONAL") {
            minNotional = try decimal(notional["minNotional"], "\(symbol) NOTIONAL.minNotional")
        }
        do {
            return try InstrumentRules(
                symbol: symbol, tickSize: tick, stepSize: step, minQuantity: minQuantity,
                maxQuantity: maxQuantity.isPositive ? maxQuantity : nil, minNotional: minNotional)
        } catch {
            throw .retryable("binance exchangeInfo: \(symbol): \(error)")
        }
    }
}

/// One spot instrument of `exchangeInfo`.
public struct BinanceInstrument: Sendable, Hashable {
    /// Binance's id (`BTCUSDT`).
    public var id: String
    public var symbol: Symbol
    /// `TRADING`, `HALT`, `BREAK`, `END_OF_DAY`, `CANCEL_ONLY`.
    public var status: String
    public var rules: InstrumentRules

    /// Whether new orders are accepted.
    public var isTrading: Bool { status == "TRADING" }
}

extension BinanceDecoding {
    /// An order answer (new order, query, cancel, open orders; §1.5–1.6).
    static func order(_ body: Data, symbol: Symbol, _ endpoint: String) throws(ExecutionError) -> VenueOrder {
        try order(try object(body, endpoint), symbol: symbol, endpoint)
    }

    static func order(_ entry: [String: Any], symbol: Symbol, _ endpoint: String) throws(ExecutionError) -> VenueOrder {
        let idText = (entry["origClientOrderId"] as? String) ?? (entry["clientOrderId"] as? String) ?? ""
        guard let clientID = try? ClientOrderID(idText) else {
            throw .retryable("binance \(endpoint): client order id '\(idText)' is not one Petrel uses")
        }
        let types: [String: OrderType] = [
            "MARKET": .market, "LIMIT": .limit, "LIMIT_MAKER": .limit, "STOP_LOSS": .stopMarket,
            "TAKE_PROFIT": .stopMarket, "STOP_LOSS_LIMIT": .stopLimit, "TAKE_PROFIT_LIMIT": .stopLimit,
        ]
        let statuses: [String: OrderStatus] = [
            "NEW": .accepted, "PENDING_NEW": .accepted, "PARTIALLY_FILLED": .partiallyFilled, "FILLED": .filled,
            "CANCELED": .cancelled, "PENDING_CANCEL": .pendingCancel, "REJECTED": .rejected, "EXPIRED": .expired,
            "EXPIRED_IN_MATCH": .expired,
        ]
        guard let typeText = entry["type"] as? String, let type = types[typeText] else {
            throw .retryable("binance \(endpoint): unknown order type \(String(describing: entry["type"]))")
        }
        guard let statusText = entry["status"] as? String, let status = statuses[statusText] else {
            throw .retryable("binance \(endpoint): unknown order status \(String(describing: entry["status"]))")
        }
        let side: OrderSide
        switch entry["side"] as? String {
        case "BUY": side = .buy
        case "SELL": side = .sell
        default: throw .retryable("binance \(endpoint): unknown side \(String(describing: entry["side"]))")
        }
        let quantity = try decimal(entry["origQty"], "\(endpoint) origQty")
        let filled = try decimal(entry["executedQty"], "\(endpoint) executedQty")
        let quote = (entry["cummulativeQuoteQty"] as? String).flatMap(FixedPoint.init) ?? .zero
        let price = (entry["price"] as? String).flatMap(FixedPoint.init).flatMap { $0.isZero ? nil : $0 }
        let stop = (entry["stopPrice"] as? String).flatMap(FixedPoint.init).flatMap { $0.isZero ? nil : $0 }
        let updated =
            (entry["updateTime"] as? NSNumber)?.int64Value ?? (entry["transactTime"] as? NSNumber)?.int64Value
            ?? (entry["time"] as? NSNumber)?.int64Value ?? 0
        return VenueOrder(
            clientOrderID: clientID, venueOrderID: (entry["orderId"] as? NSNumber).map { "\($0.int64Value)" },
            symbol: symbol, side: side, type: type, quantity: quantity, price: price, stopPrice: stop, status: status,
            filledQuantity: filled,
            averageFillPrice: filled.isPositive ? try? quote.divided(by: filled) : nil, updatedAt: updated,
            reason: status == .expired ? "expired at the venue (\(statusText))" : nil)
    }

    /// One `myTrades` element as a fill of `clientOrderID`.
    static func fill(_ trade: [String: Any], symbol: Symbol, clientOrderID: ClientOrderID) throws(ExecutionError)
        -> Fill
    {
        let id = try integer(trade["id"], "myTrades id")
        return Fill(
            tradeID: String(id), clientOrderID: clientOrderID, symbol: symbol,
            side: (trade["isBuyer"] as? Bool) == true ? .buy : .sell,
            price: try decimal(trade["price"], "trade \(id) price"),
            quantity: try decimal(trade["qty"], "trade \(id) qty"),
            fee: try decimal(trade["commission"], "trade \(id) commission"),
            feeAsset: trade["commissionAsset"] as? String ?? symbol.quote,
            liquidity: (trade["isMaker"] as? Bool) == true ? .maker : .taker,
            timestamp: try integer(trade["time"], "trade \(id) time"))
    }
}
