import Foundation
import PetrelCore
import PetrelRuntime

/// One message for WebSocket clients, already encoded, with what a client must be subscribed to and
/// allowed to see to receive it.
public struct LiveEvent: Sendable {
    /// Seed 000's broadcasts go to every client that may see the bot; the rest only to subscribers.
    public enum Kind: String, Sendable, CaseIterable {
        case tradeExecuted = "trade_executed"
        case priceUpdate = "price_update"
        case botState = "bot_state"
        case orderUpdate = "order_update"
        case positionUpdate = "position_update"
        case equityUpdate = "equity_update"
        case log

        /// Sent without a subscription (seed 000's broadcasts).
        public var isBroadcast: Bool { self == .tradeExecuted || self == .priceUpdate }
        /// The event types a client may subscribe to.
        public static let subscribable = allCases.map(\.rawValue)
    }

    public var kind: Kind
    /// The bot the event is about.
    public var bot: String
    /// The JSON text sent.
    public var text: String

    /// ISO-8601 UTC with seconds, as seed 000 writes times (`2026-02-14T02:30:00Z`).
    static func iso(_ milliseconds: Int64) -> String {
        CivilDate.iso8601(milliseconds: milliseconds)
    }

    static func encode(_ object: [String: Any]) -> String {
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// A seed 000 `trade_executed` for a strategy bot's fill: `from_pair`/`to_pair` are the assets given and
    /// received (a buy of BTC/USDT gives USDT for BTC), `amount` the quantity of the from-asset.
    static func tradeExecuted(bot: String, fill: Fill) -> LiveEvent {
        let buy = fill.side == .buy
        let notional = (try? fill.price.multiplied(by: fill.quantity)) ?? .zero
        let data: [String: Any] = [
            "bot": bot, "symbol": fill.symbol.description, "side": fill.side.rawValue,
            "from_pair": buy ? fill.symbol.quote : fill.symbol.base,
            "to_pair": buy ? fill.symbol.base : fill.symbol.quote,
            "amount": buy ? notional.description : fill.quantity.description, "price": fill.price.description,
            "quantity": fill.quantity.description, "fee": fill.fee.description, "fee_asset": fill.feeAsset,
            "client_order_id": fill.clientOrderID.description, "trade_id": fill.tradeID,
        ]
        return LiveEvent(
            kind: .tradeExecuted, bot: bot,
            text: encode(["type": "trade_executed", "data": data, "timestamp": iso(fill.timestamp)]))
    }

    /// A seed 000 `trade_executed` for a portfolio bot's trade-history row.
    static func tradeExecuted(bot: String, record: TradeHistoryRecord) -> LiveEvent {
        let data: [String: Any] = [
            "bot": bot, "id": record.id ?? 0, "from_pair": record.fromPair, "to_pair": record.toPair,
            "amount": record.amount.description, "confidence": record.confidence, "risk": record.risk,
            "expected_return": String(record.expectedReturn), "decision": record.decision.rawValue,
            "status": record.status.rawValue,
        ]
        return LiveEvent(
            kind: .tradeExecuted, bot: bot,
            text: encode(["type": "trade_executed", "data": data, "timestamp": iso(record.createdAt)]))
    }

    /// A seed 000 `price_update` from a bot's closed candle (`pair` in the seed's `BTC-USD` form). The paper
    /// feed has no order book, so `bid` and `ask` are the close as well.
    static func priceUpdate(bot: String, candle: Candle, symbol: Symbol, timeframe: Timeframe) -> LiveEvent {
        let last = candle.close.description
        return LiveEvent(
            kind: .priceUpdate, bot: bot,
            text: encode([
                "type": "price_update", "pair": "\(symbol.base)-\(symbol.quote)", "bot": bot,
                "data": [
                    "bid": last, "ask": last, "last": last, "timestamp": iso(candle.timestamp + timeframe.milliseconds),
                ],
            ]))
    }

    /// An extended event: `{"type":…,"bot":…,"data":…,"timestamp":…}`.
    static func extended(_ kind: Kind, bot: String, data: [String: Any], at milliseconds: Int64) -> LiveEvent {
        LiveEvent(
            kind: kind, bot: bot,
            text: encode(["type": kind.rawValue, "bot": bot, "data": data, "timestamp": iso(milliseconds)]))
    }

    /// The events a bot's activity produces.
    /// - Parameter market: the bot's symbol and timeframe (for `price_update`), if known.
    static func from(
        _ activity: BotActivity, bot: String, market: (symbol: Symbol, timeframe: Timeframe)?, now: Int64
    ) -> [LiveEvent] {
        switch activity {
        case .lifecycle(let state, let reason):
            var data: [String: Any] = ["lifecycle": state.rawValue]
            if let reason { data["reason"] = reason }
            return [extended(.botState, bot: bot, data: data, at: now)]
        case .tradingState(let state, let reason, let timestamp):
            return [
                extended(.botState, bot: bot, data: ["trading_state": state.rawValue, "reason": reason], at: timestamp)
            ]
        case .candle(let candle):
            guard let market else { return [] }
            return [priceUpdate(bot: bot, candle: candle, symbol: market.symbol, timeframe: market.timeframe)]
        case .orderSent(let order):
            return [extended(.orderUpdate, bot: bot, data: orderData(order, status: "submitted"), at: order.createdAt)]
        case .orderUpdate(let event):
            switch event {
            case .filled(let fill):
                return [
                    tradeExecuted(bot: bot, fill: fill),
                    extended(
                        .orderUpdate, bot: bot,
                        data: [
                            "client_order_id": fill.clientOrderID.description, "status": "fill",
                            "price": fill.price.description, "quantity": fill.quantity.description,
                        ], at: fill.timestamp),
                    extended(
                        .positionUpdate, bot: bot,
                        data: [
                            "symbol": fill.symbol.description, "side": fill.side.rawValue,
                            "quantity": fill.quantity.description, "price": fill.price.description,
                        ], at: fill.timestamp),
                ]
            case .accepted(let id, let venueID, let timestamp):
                return [
                    extended(
                        .orderUpdate, bot: bot,
                        data: [
                            "client_order_id": id.description, "status": "accepted", "venue_order_id": venueID ?? "",
                        ],
                        at: timestamp)
                ]
            case .closed(let id, let status, let reason, let timestamp):
                var data: [String: Any] = ["client_order_id": id.description, "status": status.rawValue]
                if let reason { data["reason"] = reason }
                return [extended(.orderUpdate, bot: bot, data: data, at: timestamp)]
            case .unknown(let id, let reason, let timestamp):
                return [
                    extended(
                        .orderUpdate, bot: bot,
                        data: ["client_order_id": id.description, "status": "unknown", "reason": reason],
                        at: timestamp)
                ]
            case .anomaly(let id, let message, let timestamp):
                return [
                    extended(
                        .log, bot: bot, data: ["level": "warning", "message": "order \(id): \(message)"], at: timestamp)
                ]
            }
        case .tradeClosed(let trade):
            return [
                extended(
                    .positionUpdate, bot: bot,
                    data: [
                        "symbol": trade.symbol.description, "closed": true, "direction": trade.direction,
                        "net_pnl": trade.netPnL.description, "exit_reason": trade.exitReason,
                    ], at: trade.exitTime)
            ]
        case .equity(let snapshot):
            return [
                extended(
                    .equityUpdate, bot: bot,
                    data: [
                        "equity": snapshot.equity.description, "cash": snapshot.cash.description,
                        "drawdown": snapshot.drawdown,
                    ], at: snapshot.timestamp)
            ]
        case .signal(let symbol, let signal, let timestamp):
            return [
                extended(
                    .log, bot: bot, data: ["level": "info", "message": "\(symbol) signal: \(signal.reasoning)"],
                    at: timestamp)
            ]
        case .skipped(let symbol, let reason, let timestamp):
            return [
                extended(
                    .log, bot: bot, data: ["level": "info", "message": "\(symbol) skipped: \(reason)"], at: timestamp)
            ]
        case .notice(let message):
            return [extended(.log, bot: bot, data: ["level": "notice", "message": message], at: now)]
        case .error(let message):
            return [extended(.log, bot: bot, data: ["level": "error", "message": message], at: now)]
        }
    }

    static func orderData(_ order: Order, status: String) -> [String: Any] {
        var data: [String: Any] = [
            "client_order_id": order.clientOrderID.description, "status": status, "symbol": order.symbol.description,
            "side": order.side.rawValue, "type": order.type.rawValue, "quantity": order.quantity.description,
        ]
        if let price = order.price { data["price"] = price.description }
        if let stop = order.stopPrice { data["stop_price"] = stop.description }
        if let tag = order.tag { data["tag"] = tag }
        return data
    }
}
