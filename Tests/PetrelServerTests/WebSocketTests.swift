import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import NIOWebSocket
import PetrelCore
import PetrelPersistence
import PetrelRuntime
import Synchronization
import Testing
import WSClient

@testable import PetrelServer

/// `/ws/bot/status/` with a real WebSocket client over loopback: seed 000's protocol, the extensions,
/// authentication and visibility.
@Suite("WebSocket /ws/bot/status/", .timeLimit(.minutes(2)))
struct WebSocketTests {
    static func bearer(_ token: String) -> WebSocketClientConfiguration {
        WebSocketClientConfiguration(additionalHeaders: [.authorization: "Bearer \(token)"])
    }

    @Test("connect, get_status, get_recent_trades and errors follow seed 000's messages")
    func seedProtocol() async throws {
        try await TestServer.withLiveServer { _, client in
            let token = try await client.adminToken()
            try await client.ws("/ws/bot/status/", configuration: Self.bearer(token)) { inbound, outbound, _ in
                var ws = WebSocketSession(inbound: inbound, outbound: outbound)
                let hello = try await ws.next()
                #expect(hello["type"] as? String == "connection")
                #expect(hello["message"] as? String == "Connected to bot status stream")
                let status = try await ws.request(#"{"action":"get_status"}"#)
                #expect(status["type"] as? String == "bot_status")
                let data = try #require(status["data"] as? [String: Any])
                #expect(data["is_active"] as? Bool == false)
                #expect(data["risk_tolerance"] as? Double == 0.5 && data["min_confidence"] as? Double == 0.7)
                #expect(data["check_interval"] as? Int == 5 && data["cache_ttl"] as? Int == 3)
                #expect((data["recent_trades"] as? [Any])?.isEmpty == true)
                let trades = try await ws.request(#"{"action":"get_recent_trades","limit":10}"#)
                #expect(trades["type"] as? String == "recent_trades" && (trades["data"] as? [Any]) != nil)
                let unknown = try await ws.request(#"{"action":"dance"}"#)
                #expect(unknown["type"] as? String == "error")
                #expect((unknown["message"] as? String)?.contains("expected one of get_status") == true)
                let broken = try await ws.request("{not json")
                #expect(broken["message"] as? String == "the message is not a JSON object")
                let badLimit = try await ws.request(#"{"action":"get_recent_trades","limit":0}"#)
                #expect(badLimit["message"] as? String == "'limit' must be an integer from 1 to 500")
                try await outbound.close(.normalClosure, reason: nil)
            }
        }
    }

    @Test("update_config validates every field, stores the settings and answers config_updated")
    func updateConfig() async throws {
        try await TestServer.withLiveServer { server, client in
            let token = try await client.adminToken()
            try await client.ws("/ws/bot/status/", configuration: Self.bearer(token)) { inbound, outbound, _ in
                var ws = WebSocketSession(inbound: inbound, outbound: outbound)
                _ = try await ws.next()
                let updated = try await ws.request(
                    #"{"action":"update_config","data":{"risk_tolerance":0.6,"min_confidence":0.75,"check_interval":7,"cache_ttl":4}}"#
                )
                #expect(updated["type"] as? String == "config_updated")
                #expect(updated["message"] as? String == "Configuration updated successfully")
                #expect((updated["data"] as? [String: Any])?["risk_tolerance"] as? Double == 0.6)
                let stored = try #require(try await server.services.database.portfolioSettings.load(bot: "portfolio"))
                #expect(stored.riskTolerance == 0.6 && stored.minConfidence == 0.75)
                #expect(stored.checkIntervalSeconds == 7 && stored.cacheTTLSeconds == 4)
                let bad = try await ws.request(
                    #"{"action":"update_config","data":{"risk_tolerance":1.5,"cache_ttl":2}}"#)
                #expect(bad["type"] as? String == "error")
                #expect((bad["message"] as? String)?.contains("risk_tolerance") == true)
                let wrongType = try await ws.request(#"{"action":"update_config","data":{"risk_tolerance":true}}"#)
                #expect(wrongType["message"] as? String == "update_config: risk_tolerance must be a number")
                let interval = try await ws.request(#"{"action":"update_config","data":{"check_interval":301}}"#)
                #expect((interval["message"] as? String)?.contains("check_interval") == true)
                let unknown = try await ws.request(#"{"action":"update_config","data":{"risk":0.2}}"#)
                #expect((unknown["message"] as? String)?.contains("unknown field 'risk'") == true)
                #expect(try await server.services.database.portfolioSettings.load(bot: "portfolio") == stored)
                try await outbound.close(.normalClosure, reason: nil)
            }
        }
    }

    @Test("a ticket from POST /api/v1/ws-ticket works once; no credentials or a used ticket is refused")
    func tickets() async throws {
        try await TestServer.withLiveServer { _, client in
            let token = try await client.adminToken()
            let reply = try await client.call(.post, "/api/v1/ws-ticket", token: token)
            let ticket = try #require(reply["ticket"] as? String)
            #expect(reply["expires_in"] as? Int == 30)
            try await client.ws("/ws/bot/status/?ticket=\(ticket)") { inbound, outbound, _ in
                var ws = WebSocketSession(inbound: inbound, outbound: outbound)
                #expect(try await ws.next()["type"] as? String == "connection")
                try await outbound.close(.normalClosure, reason: nil)
            }
            await #expect(throws: (any Error).self) {
                try await client.ws("/ws/bot/status/?ticket=\(ticket)") { _, _, _ in }
            }
            await #expect(throws: (any Error).self) {
                try await client.ws("/ws/bot/status/") { _, _, _ in }
            }
            #expect(try await client.call(.post, "/api/v1/ws-ticket").status == .unauthorized)
        }
    }

    @Test(
        "a running bot's trades and prices are broadcast; subscribed clients also get order, position and equity updates"
    )
    func broadcasts() async throws {
        try await TestServer.withLiveServer { server, client in
            let token = try await client.adminToken()
            _ = try await client.call(
                .post, "/api/v1/bots", token: token, json: #"{"id":"fast","config":\#(ServerConfigs.fast)}"#)
            try await client.ws("/ws/bot/status/", configuration: Self.bearer(token)) { inbound, outbound, _ in
                var ws = WebSocketSession(inbound: inbound, outbound: outbound)
                _ = try await ws.next()
                let subscribed = try await ws.request(
                    #"{"action":"subscribe","bot":"fast","events":["order_update","position_update","equity_update"]}"#)
                #expect(subscribed["events"] as? [String] == ["equity_update", "order_update", "position_update"])
                let badEvent = try await ws.request(#"{"action":"subscribe","bot":"fast","events":["gossip"]}"#)
                #expect((badEvent["message"] as? String)?.contains("unknown event type 'gossip'") == true)
                _ = try await server.services.fleet.start(id: "fast")
                let price = try await ws.until { $0["type"] as? String == "price_update" }
                #expect(price["pair"] as? String == "BTC-USDT")
                #expect((price["data"] as? [String: Any])?["last"] is String)
                _ = try await ws.until { $0["type"] as? String == "equity_update" }
                let trade = try await ws.until { $0["type"] as? String == "trade_executed" }
                let data = try #require(trade["data"] as? [String: Any])
                #expect(data["from_pair"] as? String == "USDT" && data["to_pair"] as? String == "BTC")
                #expect(data["bot"] as? String == "fast" && data["amount"] is String)
                #expect((trade["timestamp"] as? String)?.hasSuffix("Z") == true)
                _ = try await ws.until { $0["type"] as? String == "position_update" }
                let unsubscribed = try await ws.request(#"{"action":"unsubscribe","bot":"fast"}"#)
                #expect(unsubscribed["events"] as? [String] == [])
                try await outbound.close(.normalClosure, reason: nil)
            }
            try await server.services.fleet.stop(id: "fast")
        }
    }

    @Test("a trader sees only their own bots: no status of others, no broadcasts of others")
    func visibility() async throws {
        try await TestServer.withLiveServer { server, client in
            _ = try await server.user("trina", role: .trader)
            let admin = try await client.adminToken()
            let trina = try await client.login("trina", "user-password-1")
            _ = try await client.call(
                .post, "/api/v1/bots", token: admin, json: #"{"id":"secret","config":\#(ServerConfigs.fast)}"#)
            _ = try await client.call(
                .post, "/api/v1/bots", token: trina, json: #"{"id":"own","config":\#(ServerConfigs.fast)}"#)
            try await client.ws("/ws/bot/status/", configuration: Self.bearer(trina)) { inbound, outbound, _ in
                var ws = WebSocketSession(inbound: inbound, outbound: outbound)
                _ = try await ws.next()
                let other = try await ws.request(#"{"action":"get_status","bot":"secret"}"#)
                #expect(other["message"] as? String == "no bot 'secret'")
                let subscribe = try await ws.request(#"{"action":"subscribe","bot":"secret"}"#)
                #expect(subscribe["type"] as? String == "error")
                let config = try await ws.request(#"{"action":"update_config","data":{"risk_tolerance":0.2}}"#)
                #expect((config["message"] as? String)?.contains("needs the admin role") == true)
                _ = try await server.services.fleet.start(id: "secret")
                _ = try await server.services.fleet.start(id: "own")
                for _ in 0..<40 {
                    let message = try await ws.next()
                    #expect(message["bot"] as? String != "secret")
                    #expect((message["data"] as? [String: Any])?["bot"] as? String != "secret")
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
            try await server.services.fleet.stop(id: "secret")
            try await server.services.fleet.stop(id: "own")
        }
    }
}

/// Seed 000's `trade_executed` for the portfolio bot, whose trades another process writes.
@Suite("Portfolio trade watcher", .timeLimit(.minutes(1)))
struct PortfolioTradeWatcherTests {
    static func row(_ status: TradeStatus, amount: Money = 1) -> TradeHistoryRecord {
        TradeHistoryRecord(
            fromPair: "USD", toPair: "BTC", decision: .buy, status: status, confidence: 0.85, risk: 0.3,
            volatility: 0.02, amount: amount, expectedReturn: 0.025, reasoning: "test", createdAt: 1_771_036_200_000)
    }

    @Test("an executed row appended by the portfolio bot is broadcast once in seed 000's shape; older rows are not")
    func announcesNewExecutedTrades() async throws {
        let server = try await TestServer.make()
        let history = server.services.database.tradeHistory(bot: "portfolio")
        _ = try await history.append(Self.row(.executed))
        let hub = LiveHub()
        let (client, stream) = hub.connect(
            identity: TokenService.Identity(userID: 1, username: "a", role: .admin), visible: nil)
        let watcher = Task {
            await PortfolioTradeWatcher(database: server.services.database, hub: hub, interval: 20).run()
        }
        try await Task.sleep(for: .milliseconds(100))
        let pending = try await history.append(Self.row(.pending, amount: 2))
        _ = try await history.append(Self.row(.failed, amount: 3))
        try await Task.sleep(for: .milliseconds(100))
        _ = try await history.updateStatus(id: try #require(pending.id), to: .executed)
        var iterator = stream.makeAsyncIterator()
        let text = try #require(await iterator.next())
        let message = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(message["type"] as? String == "trade_executed")
        #expect(message["timestamp"] as? String == "2026-02-14T02:30:00Z")
        let data = try #require(message["data"] as? [String: Any])
        #expect(data["from_pair"] as? String == "USD" && data["to_pair"] as? String == "BTC")
        #expect(data["amount"] as? String == "2" && data["expected_return"] as? String == "0.025")
        #expect(data["confidence"] as? Double == 0.85 && data["risk"] as? Double == 0.3)
        try await Task.sleep(for: .milliseconds(100))
        watcher.cancel()
        hub.disconnect(client)
        var rest: [String] = []
        while let more = await iterator.next() { rest.append(more) }
        #expect(rest.isEmpty)
        await server.close()
    }
}

/// The hub's back-pressure rule, without sockets.
@Suite("Live hub")
struct LiveHubTests {
    static let identity = TokenService.Identity(userID: 1, username: "a", role: .admin)

    @Test("a client that stops reading is dropped when its queue is full; the others keep everything")
    func slowClientDropped() async throws {
        let hub = LiveHub(queueLimit: 8)
        let slow = hub.connect(identity: Self.identity, visible: nil)
        let fast = hub.connect(identity: Self.identity, visible: nil)
        var received: [String] = []
        for index in 0..<20 {
            hub.publish(LiveEvent(kind: .priceUpdate, bot: "b", text: "\(index)"))
            received.append(try #require(await fast.1.first { _ in true }))
        }
        #expect(received == (0..<20).map(String.init))
        #expect(hub.clientCount == 1 && hub.droppedClients == 1)
        #expect(slow.0.dropReason.withLock { $0 } == "too slow: more than 8 messages waiting")
        var kept = 0
        for await _ in slow.1 { kept += 1 }
        #expect(kept == 8)
    }

    @Test("events of bots a client may not see, and unsubscribed extended events, are not queued")
    func filtering() async throws {
        let hub = LiveHub(queueLimit: 8)
        let viewer = TokenService.Identity(userID: 2, username: "v", role: .viewer)
        let (client, stream) = hub.connect(identity: viewer, visible: ["mine"])
        hub.publish(LiveEvent(kind: .priceUpdate, bot: "other", text: "other"))
        hub.publish(LiveEvent(kind: .orderUpdate, bot: "mine", text: "unsubscribed"))
        hub.publish(LiveEvent(kind: .priceUpdate, bot: "mine", text: "price"))
        client.subscriptions.withLock { $0["mine"] = [.orderUpdate] }
        hub.publish(LiveEvent(kind: .orderUpdate, bot: "mine", text: "order"))
        hub.disconnect(client)
        var texts: [String] = []
        for await text in stream { texts.append(text) }
        #expect(texts == ["price", "order"])
    }
}
