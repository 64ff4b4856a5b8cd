import Foundation
import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("Config broker and data sections")
struct BrokerAndDataSectionTests {
    let seed = ConfigTesting.strategy

    @Test("endpoint overrides and a stored exchange account are read from the broker section")
    func brokerExtras() throws {
        let bot = try ConfigTesting.strategyBot(
            seed.setting("broker.base_url", #""https://testnet.binance.vision""#)
                .setting("broker.ws_url", #""wss://stream.testnet.binance.vision/ws""#)
                .setting("broker.account", #""binance-main""#))
        #expect(bot.broker.baseURL == "https://testnet.binance.vision")
        #expect(bot.broker.wsURL == "wss://stream.testnet.binance.vision/ws")
        #expect(bot.broker.account == "binance-main")
        #expect(bot.broker.apiKey == nil)
        let local = try ConfigTesting.strategyBot(
            seed.setting("broker.base_url", #""http://127.0.0.1:9000""#).setting(
                "broker.ws_url", #""ws://localhost:9001/ws""#))
        #expect(local.broker.baseURL == "http://127.0.0.1:9000")
        #expect(local.broker.wsURL == "ws://localhost:9001/ws")
    }

    @Test(
        "bad endpoint URLs name the URL and what is allowed; plain http only reaches localhost",
        arguments: [
            (
                "base_url", #""ftp://example.com""#,
                "'ftp://example.com' is not a URL (expected an absolute http or https URL such as https://host/)"
            ),
            (
                "base_url", #""api.binance.com""#,
                "'api.binance.com' is not a URL (expected an absolute http or https URL such as https://host/)"
            ),
            (
                "base_url", #""http://api.binance.com""#,
                "'http://api.binance.com' is unencrypted; use https (plain http is only allowed to localhost)"
            ),
            (
                "ws_url", #""https://stream.binance.com""#,
                "'https://stream.binance.com' is not a URL (expected an absolute ws or wss URL such as wss://host/)"
            ),
            (
                "ws_url", #""ws://stream.binance.com/ws""#,
                "'ws://stream.binance.com/ws' is unencrypted; use wss (plain ws is only allowed to localhost)"
            ),
            (
                "base_url", #""http://127.0.0.1.example.com""#,
                "'http://127.0.0.1.example.com' is unencrypted; use https (plain http is only allowed to localhost)"
            ),
            ("base_url", "42", "42 is not a string"),
        ])
    func badURLs(key: String, json: String, message: String) {
        #expect(ConfigTesting.problems(seed.setting("broker.\(key)", json)) == ["$.broker.\(key): \(message)"])
    }

    @Test("an account name is letters, digits, '.', '_' or '-'")
    func accountName() {
        #expect(
            ConfigTesting.problems(seed.setting("broker.account", #""my account!""#)) == [
                "$.broker.account: 'my account!' is not an exchange account name (1 to 64 letters, digits, '.', '_' or '-')"
            ])
    }

    @Test("uphold is refused for a strategy bot with a message pointing at portfolio bots")
    func upholdNeedsPortfolio() {
        #expect(
            ConfigTesting.problems(seed.setting("broker.type", #""uphold""#)) == [
                "$.broker.type: 'uphold' is only for portfolio bots (add \"bot_type\": \"portfolio\"); expected one of binance_paper, binance, okx, ibkr, mock, paper"
            ])
    }

    @Test(
        "every strategy broker type is accepted with its venue's data and credentials",
        arguments: [
            ("binance_paper", "binance", nil), ("binance", "binance", "binance-main"), ("okx", "okx", "okx-main"),
            ("ibkr", "ibkr", nil), ("mock", "simulated", nil), ("paper", "yahoo", nil),
        ] as [(String, String, String?)])
    func brokerTypes(type: String, source: String, account: String?) throws {
        var edit = seed.setting("broker.type", "\"\(type)\"").setting("data.data_source", "\"\(source)\"")
        if let account { edit = edit.setting("broker.account", "\"\(account)\"") }
        let bot = try ConfigTesting.strategyBot(edit)
        #expect(bot.broker.type.rawValue == type)
        #expect(bot.data.dataSource.rawValue == source)
        #expect(bot.broker.type.isLive == (account != nil || type == "ibkr"))
    }

    @Test("a replay source reads its file and speed; the speed defaults to real time")
    func replay() throws {
        let replay = seed.setting("data.data_source", #""replay""#).setting("data.file", #""data/btc_1h.csv""#)
        let plain = try ConfigTesting.strategyBot(replay)
        #expect(plain.data.file == "data/btc_1h.csv")
        #expect(plain.data.speed == .multiple(1))
        #expect(try ConfigTesting.strategyBot(replay.setting("data.speed", #""max""#)).data.speed == .unlimited)
        #expect(try ConfigTesting.strategyBot(replay.setting("data.speed", "60")).data.speed == .multiple(60))
        #expect(try ConfigTesting.strategyBot(seed).data.speed == nil)
    }

    @Test("replay settings are refused where they cannot apply (speed also paces the simulated market)")
    func replayErrors() throws {
        #expect(
            ConfigTesting.problems(seed.setting("data.data_source", #""replay""#)) == [
                "$.data.file: is missing (a replay needs the path of the candle file to play)"
            ])
        #expect(
            ConfigTesting.problems(seed.setting("data.file", #""btc.csv""#).setting("data.speed", "2")) == [
                "$.data.file: is only used with \"data_source\": \"replay\" (this source is 'binance')",
                "$.data.speed: is only used with \"data_source\": \"replay\" or \"simulated\" (this source is 'binance')",
            ])
        let simulated = seed.setting("broker.type", #""mock""#).setting("data.data_source", #""simulated""#)
        #expect(try ConfigTesting.strategyBot(simulated.setting("data.speed", "900")).data.speed == .multiple(900))
        let replay = seed.setting("data.data_source", #""replay""#).setting("data.file", #""btc.csv""#)
        #expect(
            ConfigTesting.problems(replay.setting("data.speed", #""maxx""#)) == [
                "$.data.speed: 'maxx' is not a speed (did you mean 'max'?); expected a number from 0.01 to 1000000 (times real time) or \"max\""
            ])
        #expect(
            ConfigTesting.problems(replay.setting("data.speed", "0")) == [
                "$.data.speed: 0 is out of range (expected a number from 0.01 to 1000000)"
            ])
        #expect(
            ConfigTesting.problems(replay.setting("data.file", #""""#)) == [
                "$.data.file: is missing (a replay needs the path of the candle file to play)"
            ])
        #expect(
            ConfigTesting.problems(
                seed.setting("broker.type", #""mock""#).setting("data.data_source", #""simulated""#)
                    .setting("data.base_url", #""https://api.binance.com""#)) == [
                    "$.data.base_url: is only used with a network data source (binance, yahoo, ibkr, okx), not 'simulated'"
                ])
    }

    @Test("network data sources take endpoint overrides")
    func dataEndpoints() throws {
        let bot = try ConfigTesting.strategyBot(
            seed.setting("data.base_url", #""http://127.0.0.1:8080""#).setting("data.ws_url", #""ws://127.0.0.1:8081""#)
        )
        #expect(bot.data.baseURL == "http://127.0.0.1:8080")
        #expect(bot.data.wsURL == "ws://127.0.0.1:8081")
    }

    @Test("a live broker must trade on its own venue's prices; paper brokers take any source")
    func liveBrokerNeedsItsVenue() throws {
        let live = seed.setting("broker.type", #""binance""#).setting("broker.account", #""main""#)
        #expect(
            ConfigTesting.problems(live.setting("data.data_source", #""yahoo""#)) == [
                "$.data.data_source: 'yahoo' cannot drive a live 'binance' broker: live trading needs the venue's own prices (\"data_source\": \"binance\"); paper brokers (binance_paper, paper, mock) accept any source"
            ])
        #expect(ConfigTesting.problems(live.setting("data.data_source", #""simulated""#)).count == 1)
        for source in ["yahoo", "okx", "ibkr", "simulated"] {
            let paper = try ConfigTesting.strategyBot(seed.setting("data.data_source", "\"\(source)\""))
            #expect(paper.data.dataSource.rawValue == source)
        }
    }

    @Test("a strategy bot may say so explicitly; portfolio keys in it point at bot_type")
    func strategyBotType() throws {
        #expect(try ConfigTesting.strategyBot(seed.setting("bot_type", #""strategy""#)).trading.positionSize == 0.1)
        let problems = ConfigTesting.problems(seed.setting("risk_tolerance", "0.5"))
        #expect(problems.count == 1)
        #expect(
            problems.first?.hasPrefix(
                "$.risk_tolerance: unknown key (a portfolio bot key: add \"bot_type\": \"portfolio\"); allowed keys: bot_type, description"
            ) == true)
    }
}
