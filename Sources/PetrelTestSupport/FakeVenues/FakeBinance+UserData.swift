import Crypto
import Foundation
import Hummingbird
import HummingbirdWebSocket
import PetrelCore
import Synchronization

/// The fake's WebSocket API for user data (EXCHANGE-APIS.md §1.11): `userDataStream.subscribe.signature`
/// checked like Binance checks it (key, HMAC over the sorted unencoded parameters, timestamp window), then
/// `executionReport` events, wrapped as `{"subscriptionId":…,"event":{…}}`, for every order change and
/// trade of the matching engine. ``dropUserStreams()`` closes the subscriptions (a drop).
extension FakeBinance {
    /// One open subscription.
    struct UserStream {
        var subscriptionID: Int
        var outbound: AsyncStream<String>.Continuation
    }

    func addUserDataRoutes(to router: Router<BasicWebSocketRequestContext>) {
        router.ws("/ws-api/v3") { _, _ in
            .upgrade([:])
        } onUpgrade: { inbound, outbound, _ in
            let (messages, continuation) = AsyncStream<String>.makeStream()
            let connection = self.state.withLock { state in
                state.nextStreamConnection += 1
                return state.nextStreamConnection
            }
            defer { _ = self.state.withLock { $0.userStreams.removeValue(forKey: connection) } }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await message in inbound.messages(maxSize: 1 << 16) {
                        guard case .text(let text) = message else { continue }
                        continuation.yield(self.apiRequest(text, connection: connection, outbound: continuation))
                    }
                    continuation.finish()
                }
                group.addTask { for await text in messages { try await outbound.write(.text(text)) } }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    /// The answer to one WebSocket API request (and, for a subscription, its registration).
    func apiRequest(_ text: String, connection: Int, outbound: AsyncStream<String>.Continuation) -> String {
        let request = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        let id = request["id"].map { "\($0)" } ?? "null"
        let quotedID = request["id"] is String ? "\"\(id)\"" : id
        func refuse(_ status: Int, _ code: Int, _ message: String) -> String {
            #"{"id":\#(quotedID),"status":\#(status),"error":{"code":\#(code),"msg":"\#(message)"}}"#
        }
        guard request["method"] as? String == "userDataStream.subscribe.signature" else {
            return refuse(400, -1102, "Unknown method.")
        }
        let params = request["params"] as? [String: Any] ?? [:]
        guard let key = params["apiKey"] as? String, key == apiKey else {
            return refuse(401, -2015, "Invalid API-key, IP, or permissions for action.")
        }
        guard let timestamp = (params["timestamp"] as? NSNumber)?.int64Value,
            let signature = params["signature"] as? String
        else {
            return refuse(400, -1102, "Mandatory parameter 'timestamp' or 'signature' was not sent.")
        }
        let payload = params.filter { $0.key != "signature" }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value)" }.joined(separator: "&")
        let expected = HMAC<SHA256>.authenticationCode(
            for: Data(payload.utf8), using: SymmetricKey(data: Data(secret.utf8))
        )
        .map { String(format: "%02x", $0) }.joined()
        guard signature.lowercased() == expected else {
            return refuse(400, -1022, "Signature for this request is not valid.")
        }
        let now = serverTime
        guard timestamp < now + 1_000, now - timestamp <= 5_000 else {
            return refuse(400, -1021, "Timestamp for this request is outside of the recvWindow.")
        }
        let subscription = state.withLock { state in
            state.userStreamsOpened += 1
            let subscription = state.userStreamsOpened - 1
            state.userStreams[connection] = UserStream(subscriptionID: subscription, outbound: outbound)
            return subscription
        }
        return #"{"id":\#(quotedID),"status":200,"result":{"subscriptionId":\#(subscription)}}"#
    }

    /// How many user-data subscriptions have been made in all, and how many are open now.
    public var userStreamSubscriptions: (made: Int, open: Int) {
        state.withLock { ($0.userStreamsOpened, $0.userStreams.count) }
    }

    /// How many execution reports have gone to subscriptions.
    public var executionReportsSent: Int { state.withLock { $0.executionReportsSent } }

    /// Closes every user-data connection (a drop); events meanwhile are lost to them, as at Binance.
    public func dropUserStreams() {
        let open = state.withLock { state in
            defer { state.userStreams.removeAll() }
            return Array(state.userStreams.values)
        }
        for stream in open { stream.outbound.finish() }
    }

    /// Sends an `executionReport` for every trade and order change not reported yet.
    func publishExecutionReports() {
        state.withLock { state in
            var events: [String] = []
            for trade in state.trades.sorted(by: { $0.id < $1.id }) where !state.reportedTrades.contains(trade.id) {
                state.reportedTrades.insert(trade.id)
                guard let order = state.orders.first(where: { $0.id == trade.orderID }) else { continue }
                state.reportedOrders[order.id] = "\(order.status)|\(order.executed)"
                events.append(Self.executionReport(order, trade: trade, now: Self.time(state)))
            }
            for order in state.orders where state.reportedOrders[order.id] != "\(order.status)|\(order.executed)" {
                state.reportedOrders[order.id] = "\(order.status)|\(order.executed)"
                events.append(Self.executionReport(order, trade: nil, now: Self.time(state)))
            }
            guard !events.isEmpty else { return }
            state.executionReportsSent += events.count * state.userStreams.count
            for stream in state.userStreams.values {
                for event in events {
                    stream.outbound.yield(#"{"subscriptionId":\#(stream.subscriptionID),"event":\#(event)}"#)
                }
            }
        }
    }

    static func executionReport(_ order: FakeOrder, trade: FakeTrade?, now: Int64) -> String {
        let execution = trade != nil ? "TRADE" : (order.status == "PARTIALLY_FILLED" ? "TRADE" : order.status)
        // A cancel names the cancel request in `c` and the order in `C`, as Binance does.
        let (c, original) = order.status == "CANCELED" ? ("cancel-\(order.id)", order.clientID) : (order.clientID, "")
        let zero = "0.00000000"
        return """
            {"e":"executionReport","E":\(now),"s":"\(order.symbol)","c":"\(c)","S":"\(order.side)","o":"\(order.type)",\
            "f":"\(order.timeInForce ?? "GTC")","q":"\(order.quantity)","p":"\(order.price?.description ?? zero)",\
            "P":"\(order.stopPrice?.description ?? zero)","F":"\(zero)","g":-1,"C":"\(original)","x":"\(execution)",\
            "X":"\(order.status)","r":"NONE","i":\(order.id),"l":"\(trade?.quantity.description ?? zero)",\
            "z":"\(order.executed)","L":"\(trade?.price.description ?? zero)","n":"\(trade?.commission.description ?? "0")",\
            "N":\(trade.map { "\"\($0.commissionAsset)\"" } ?? "null"),"T":\(trade?.time ?? order.updateTime),\
            "t":\(trade?.id ?? -1),"I":1,"w":\(order.isOpen),"m":\(trade?.isMaker ?? false),"M":\(trade != nil),\
            "O":\(order.time),"Z":"\(order.quoteExecuted)","Y":"0","Q":"0","W":\(order.time),"V":"NONE"}
            """
    }
}
