import Foundation
import HTTPTypes
import HummingbirdTesting
import PetrelPersistence
import PetrelRuntime
import PetrelServer
import Testing

/// Seed 003's dashboard routes over the same bots as `/api/v1/bots`.
@Suite("Seed 003 dashboard routes")
struct DashboardRouteTests {
    @Test(
        "create-bot makes a seed 003 bot: fixed trade amount, one position, 15-minute candles, simulated and labelled")
    func createBot() async throws {
        try await TestServer.withServer { server, client in
            let token = try await client.adminToken()
            let reply = try await client.call(
                .post, "/api/create-bot", token: token,
                json: #"{"name":"BTC Bot","symbol":"btcusdt","strategy":"volatile","trade_amount":100}"#)
            #expect(reply.status == .created)
            #expect(reply["success"] as? Bool == true)
            let bot = try #require(reply["bot"] as? [String: Any])
            #expect(bot["id"] as? String == "btc-bot" && bot["symbol"] as? String == "BTCUSDT")
            #expect(bot["strategy"] as? String == "volatile" && bot["trade_amount"] as? Int == 100)
            #expect(bot["status"] as? String == "stopped" && bot["trades"] as? Int == 0)
            #expect((bot["name"] as? String)?.contains("simulated") == true)
            let stored = try #require(try await server.services.database.bots.bot("btc-bot"))
            let config = try #require(
                try JSONSerialization.jsonObject(with: Data(stored.configuration.utf8)) as? [String: Any])
            let trading = try #require(config["trading"] as? [String: Any])
            #expect(trading["sizing"] as? String == "fixed" && trading["max_positions"] as? Int == 1)
            #expect((config["data"] as? [String: Any])?["interval"] as? String == "15m")
            let second = try await client.call(
                .post, "/api/create-bot", token: token,
                json: #"{"name":"BTC Bot","symbol":"BTCUSDT","strategy":"volatile","trade_amount":50}"#)
            #expect((second["bot"] as? [String: Any])?["id"] as? String == "btc-bot-2")
        }
    }

    @Test("create-bot refuses a bad symbol, amount or strategy with the field named")
    func createBotValidation() async throws {
        try await TestServer.withServer { _, client in
            let token = try await client.adminToken()
            let cases: [(String, String)] = [
                (#"{"name":"x","symbol":"BTCEUR","strategy":"volatile","trade_amount":100}"#, "symbol"),
                (#"{"name":"x","symbol":"BTCUSDT","strategy":"volatile","trade_amount":-1}"#, "trade_amount"),
                // Found by schemathesis: ten times this overflowed to infinity and failed the JSON write (a 500).
                (#"{"name":"x","symbol":"BTCUSDT","strategy":"volatile","trade_amount":1.7e308}"#, "trade_amount"),
                (#"{"name":"","symbol":"BTCUSDT","strategy":"volatile","trade_amount":1}"#, "name"),
                (#"{"name":"x","symbol":"BTCUSDT","strategy":"volatil","trade_amount":1}"#, "$.strategy.type"),
                (#"{"name":"x","symbol":"BTCUSDT","trade_amount":1}"#, "$.strategy"),
            ]
            for (body, field) in cases {
                let reply = try await client.call(.post, "/api/create-bot", token: token, json: body)
                #expect(reply.status == .badRequest, "\(body)")
                #expect(reply.errorField == field, "\(body): \(String(describing: reply.errorField))")
            }
        }
    }

    @Test("overview, details, start, update and stop answer in seed 003's shape")
    func lifecycle() async throws {
        try await TestServer.withServer { server, client in
            let token = try await client.adminToken()
            _ = try await client.call(
                .post, "/api/create-bot", token: token,
                json: #"{"name":"Fast","symbol":"BTCUSDT","strategy":"ma_crossover","trade_amount":100,"speed":20000}"#)
            let started = try await client.call(.post, "/api/bot/fast/start", token: token)
            #expect(started["success"] as? Bool == true && started["status"] as? String == "running")
            _ = try await BotRouteTests.waitFor(server, "fast") { $0.lifecycle == .running }
            let overview = try await client.call(.get, "/api/overview", token: token)
            let stats = try #require(overview["stats"] as? [String: Any])
            #expect(stats["total_bots"] as? Int == 1 && stats["running_bots"] as? Int == 1)
            #expect((overview["bots"] as? [[String: Any]])?.first?["status"] as? String == "running")
            let details = try await client.call(.get, "/api/bot/fast/details", token: token)
            let bot = try #require(details["bot"] as? [String: Any])
            #expect(bot["logs"] is [String] && bot["recent_trades"] is [Any] && bot["profit"] is Double)
            let busy = try await client.call(.post, "/api/bot/fast/update", token: token, json: #"{"trade_amount":50}"#)
            #expect(busy.status == .conflict)
            let stopped = try await client.call(.post, "/api/bot/fast/stop", token: token)
            #expect(stopped["status"] as? String == "stopped")
            let updated = try await client.call(
                .post, "/api/bot/fast/update", token: token, json: #"{"trade_amount":50,"name":"Faster"}"#)
            #expect(updated.status == .ok)
            let entry = try #require(updated["bot"] as? [String: Any])
            #expect(entry["trade_amount"] as? Int == 50 && entry["name"] as? String == "Faster")
            #expect(try await client.call(.get, "/api/bot/nope/details", token: token).status == .notFound)
            #expect(try await client.call(.get, "/api/overview").status == .unauthorized)
        }
    }
}
