import Foundation
import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("Config strategy, notifications and logging sections")
struct StrategyAndNotificationSectionTests {
    let seed = ConfigTesting.strategy

    @Test("a named strategy may be given by 'name' as well as by 'type'")
    func namedByName() throws {
        let bot = try ConfigTesting.strategyBot(
            seed.setting("strategy", #"{"name": "rsi_bb", "params": {"rsi_period": 10}}"#))
        #expect(bot.strategy.type == "rsi_bb")
        #expect(bot.strategy.typeKey == "name")
        #expect(bot.strategy.params == ["rsi_period": .integer(10)])
        #expect(bot.strategy.entryLogic == nil)
    }

    @Test(
        "strategy keys that contradict each other are refused",
        arguments: [
            (
                #"{"type": "rsi_bb", "name": "ma_crossover"}"#,
                "$.strategy.name: 'ma_crossover' differs from $.strategy.type 'rsi_bb'; name the strategy in one of them"
            ),
            (
                #"{"type": "rsi_bb", "entry_logic": {"name": "RSIBBEntryMixin"}}"#,
                "$.strategy.entry_logic: is only used with \"type\": \"custom\" (this strategy is 'rsi_bb')"
            ),
            (
                #"{"type": "custom", "params": {"a": 1}, "entry_logic": {"name": "A"}, "exit_logic": {"name": "B"}}"#,
                "$.strategy.params: a custom strategy takes its parameters in entry_logic.params and exit_logic.params"
            ),
            (
                #"{"type": "custom", "name": "mine", "entry_logic": {"name": "A"}, "exit_logic": {"name": "B"}}"#,
                "$.strategy.name: is not used with \"type\": \"custom\" (name the rules in entry_logic.name and exit_logic.name)"
            ),
            (
                #"{"type": "custom", "entry_logic": {"name": "A"}}"#,
                "$.strategy.exit_logic: is missing (an object is required)"
            ),
            (
                #"{"entry_logic": {"params": {}}, "exit_logic": {"name": "B"}}"#,
                "$.strategy.entry_logic.name: is missing (a string is required)"
            ),
            (
                #"{"type": "rsi_bb", "params": {"token": "${RSI_TOKEN}"}}"#,
                "$.strategy.params.token: strategy parameters are never secrets; no strategy takes one"
            ),
        ])
    func contradictions(strategy: String, problem: String) {
        #expect(ConfigTesting.problems(seed.setting("strategy", strategy)) == [problem])
    }

    @Test("every notification channel is read with its recipients, settings and secret reference")
    func channels() throws {
        let bot = try ConfigTesting.strategyBot(
            seed.setting(
                "notifications",
                #"""
                {"enabled": true,
                 "telegram": {"enabled": true, "notify_on": ["error"], "chat_ids": [-1001234567890, "@petrel_alerts"],
                              "bot_token": "${TELEGRAM_BOT_TOKEN}"},
                 "email": {"enabled": true, "notify_on": ["daily_summary"], "to": ["ops@example.com"], "from": "bot@example.com",
                           "smtp_host": "smtp.example.com", "smtp_port": 587, "username": "bot", "password": "${SMTP_PASSWORD}"},
                 "webhook": {"enabled": false, "notify_on": ["trade_entry"], "url": "https://hooks.example.com/petrel",
                             "secret": "${WEBHOOK_SECRET}"},
                 "sms": {"enabled": true, "notify_on": ["high_loss"], "to": "+15551234567", "from": "+15557654321",
                         "username": "AC123", "token": "${SMS_TOKEN}"}}
                """#))
        let n = try #require(bot.notifications)
        #expect(n.telegram?.recipients == ["-1001234567890", "@petrel_alerts"])
        #expect(n.telegram?.credential?.name == "TELEGRAM_BOT_TOKEN")
        #expect(n.email?.recipients == ["ops@example.com"])
        #expect(n.email?.sender == "bot@example.com")
        #expect(n.email?.smtpHost == "smtp.example.com")
        #expect(n.email?.smtpPort == 587)
        #expect(n.email?.username == "bot")
        #expect(n.email?.credential?.name == "SMTP_PASSWORD")
        #expect(n.webhook?.url == "https://hooks.example.com/petrel")
        #expect(n.webhook?.credential?.name == "WEBHOOK_SECRET")
        #expect(n.sms?.recipients == ["+15551234567"])
        #expect(n.sms?.sender == "+15557654321")
        #expect(n.sms?.credential?.name == "SMS_TOKEN")
        #expect(n.activeChannels.map(\.name) == ["telegram", "email", "sms"])
        #expect(n.activeChannels.map(\.channel.notifyOn) == [["error"], ["daily_summary"], ["high_loss"]])
        #expect(
            bot.secrets.map(\.reference.name).sorted() == [
                "SMS_TOKEN", "SMTP_PASSWORD", "TELEGRAM_BOT_TOKEN", "WEBHOOK_SECRET",
            ])
    }

    @Test("notifications switched off globally send on no channel")
    func disabledNotifications() throws {
        let bot = try ConfigTesting.strategyBot(seed.setting("notifications.enabled", "false"))
        #expect(bot.notifications?.telegram?.enabled == true)
        #expect(bot.notifications?.activeChannels.isEmpty == true)
    }

    @Test("numeric Telegram chat ids are kept in one spelling, the one Telegram reports chats with")
    func chatIDSpelling() throws {
        let bot = try ConfigTesting.strategyBot(
            seed.setting(
                "notifications",
                #"{"enabled": true, "telegram": {"enabled": true, "chat_ids": ["+5", "007", 5.0, -100, "@chan"], "bot_token": "${T}"}}"#
            ))
        #expect(bot.notifications?.telegram?.recipients == ["5", "7", "5", "-100", "@chan"])
    }

    @Test(
        "bad recipients, repeated events and keys of another channel are each reported",
        arguments: [
            (
                "telegram.chat_ids", #"["abc"]"#,
                "$.notifications.telegram.chat_ids[0]: 'abc' is not a Telegram chat id (an integer such as -1001234567890, or @channelname), or an array of them"
            ),
            (
                "email.to", #""nobody""#,
                "$.notifications.email.to: 'nobody' is not an e-mail address, or an array of them"
            ),
            ("email.from", #"["a@b.co"]"#, "$.notifications.email.from: an array is not an e-mail address"),
            (
                "email.to", "[]",
                "$.notifications.email.to: is empty (expected an e-mail address, or an array of them)"
            ),
            (
                "telegram.notify_on", #"["error", "status", "error"]"#,
                "$.notifications.telegram.notify_on[2]: 'error' is listed twice"
            ),
            (
                "telegram.smtp_host", #""smtp.example.com""#,
                "$.notifications.telegram.smtp_host: unknown key; allowed keys: enabled, notify_on, chat_ids, bot_token"
            ),
            (
                "telegram.chat_id", "5",
                "$.notifications.telegram.chat_id: unknown key (did you mean 'chat_ids'?); allowed keys: enabled, notify_on, chat_ids, bot_token"
            ),
            (
                "webhook.url", #""http://hooks.example.com""#,
                "$.notifications.webhook.url: 'http://hooks.example.com' is unencrypted; use https (plain http is only allowed to localhost)"
            ),
            (
                "sms.to", #""555-1234""#,
                "$.notifications.sms.to: '555-1234' is not a phone number in E.164 form (+ and 8 to 15 digits), or an array of them"
            ),
            (
                "slack", "{}",
                "$.notifications.slack: unknown key; allowed keys: enabled, telegram, email, webhook, sms"
            ),
        ])
    func channelProblems(path: String, json: String, problem: String) {
        #expect(ConfigTesting.problems(seed.setting("notifications.\(path)", json)) == [problem])
    }

    @Test("logging defaults to saving trades and the equity curve; an empty log file is refused")
    func logging() throws {
        let bot = try ConfigTesting.strategyBot(seed.setting("logging", #"{"level": "DEBUG"}"#))
        #expect(bot.logging?.level == "DEBUG")
        #expect(bot.logging?.saveTrades == true)
        #expect(bot.logging?.saveEquityCurve == true)
        #expect(bot.logging?.logFile == nil)
        #expect(try ConfigTesting.strategyBot(seed.removing("logging")).logging == nil)
        #expect(
            ConfigTesting.problems(seed.setting("logging.log_file", #""""#)) == [
                "$.logging.log_file: is empty (expected a file path, or leave the key out)"
            ])
        #expect(
            ConfigTesting.problems(seed.setting("logging.save_trades", #""yes""#)) == [
                "$.logging.save_trades: 'yes' is not true or false"
            ])
    }

    @Test("optional sections may be left out; the required ones are named when missing")
    func requiredSections() throws {
        let minimal = seed.removing("notifications").removing("risk_management").removing("logging")
            .removing("description").removing("version")
        let bot = try ConfigTesting.strategyBot(minimal)
        #expect(bot.notifications == nil)
        #expect(bot.risk == RiskSettings(maxDrawdownPct: 20, maxPositions: 1, maxExposure: 1))
        #expect(
            ConfigTesting.problems(minimal.removing("broker").removing("trading").removing("data").removing("strategy"))
                == [
                    "$.broker: is missing (an object is required)", "$.trading: is missing (an object is required)",
                    "$.data: is missing (an object is required)", "$.strategy: is missing (an object is required)",
                ])
    }
}
