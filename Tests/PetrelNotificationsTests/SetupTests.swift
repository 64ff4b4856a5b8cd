import Foundation
import PetrelNotifications
import PetrelRuntime
import Testing

/// Channels built from seed 002's `notifications` section.
@Suite("Notification setup from a bot config")
struct SetupTests {
    static func notifications(_ json: String) throws -> BotConfiguration.Notifications? {
        let config = """
            {"broker": {"type": "paper", "initial_balance": 1000},
             "trading": {"symbol": "BTCUSDT", "position_size": 0.5},
             "data": {"data_source": "simulated", "symbol": "BTCUSDT", "interval": "1h"},
             "strategy": {"type": "volatile"},
             "notifications": \(json)}
            """
        return try BotConfiguration.parse(Data(config.utf8), source: "test.json").notifications
    }

    @Test("enabled channels become routes with their notify_on, secrets come from the environment")
    func routes() throws {
        let section = try Self.notifications(
            """
            {"enabled": true,
             "telegram": {"enabled": true, "notify_on": ["trade_entry", "trade_exit", "error", "status"],
                          "chat_ids": [-1001234567890], "bot_token": "${TG_TOKEN}"},
             "sms": {"enabled": true, "notify_on": ["high_loss"], "to": ["+15550002222"], "from": "+15550001111",
                     "username": "AC1", "token": "${TWILIO_TOKEN}"},
             "webhook": {"enabled": false, "url": "https://hooks.example.com/x"},
             "email": {"enabled": true, "notify_on": ["error"], "to": "ops@example.com", "from": "bot@example.com",
                       "smtp_host": "mail.example.com", "security": "tls", "username": "bot", "password": "${MAIL_PW}"}}
            """)
        let built = try NotificationSetup.routes(
            for: section, environment: ["TG_TOKEN": "1:abc", "TWILIO_TOKEN": "tok", "MAIL_PW": "pw"])
        #expect(built.routes.map(\.channel.name) == ["telegram", "email", "sms"])
        #expect(built.routes[0].events == [.tradeEntry, .tradeExit, .error, .status])
        #expect(built.routes[2].events == [.highLoss])
        #expect(built.unavailable.isEmpty)
        let email = try #require(built.routes[1].channel as? SMTPChannel)
        #expect(email.port == 465 && email.security == .tls && email.from == "bot@example.com")
        #expect((built.routes[0].channel as? TelegramChannel)?.chatIDs == ["-1001234567890"])
    }

    @Test("a missing secret names the channel, the key and the variable; the master switch silences all")
    func errors() throws {
        let section = try Self.notifications(
            #"{"enabled": true, "telegram": {"enabled": true, "notify_on": ["error"], "chat_ids": [1], "bot_token": "${TG_TOKEN}"}}"#
        )
        #expect {
            try NotificationSetup.routes(for: section, environment: [:])
        } throws: { error in
            "\(error)".contains("telegram: bot_token ${TG_TOKEN}")
        }
        let off = try Self.notifications(
            #"{"enabled": false, "telegram": {"enabled": true, "notify_on": ["error"], "chat_ids": [1], "bot_token": "${TG_TOKEN}"}}"#
        )
        #expect(try NotificationSetup.routes(for: off, environment: [:]).routes.isEmpty)
        let only = try NotificationSetup.routes(for: off, environment: ["TG_TOKEN": "1:x"], only: "telegram")
        #expect(only.routes.count == 1)
        #expect(throws: NotificationSetupError.self) {
            try NotificationSetup.routes(for: off, environment: [:], only: "sms")
        }
    }

    @Test("webhook options: body_template and allow_private_addresses are read and checked")
    func webhookOptions() throws {
        let section = try Self.notifications(
            #"{"enabled": true, "webhook": {"enabled": true, "notify_on": ["error"], "url": "http://127.0.0.1:9/x", "secret": "${HOOK}", "body_template": "{\"t\":\"{{title}}\"}", "allow_private_addresses": true}}"#
        )
        let built = try NotificationSetup.routes(for: section, environment: ["HOOK": "s"])
        let channel = try #require(built.routes.first?.channel as? WebhookChannel)
        #expect(channel.allowPrivateAddresses && channel.template == #"{"t":"{{title}}"}"#)
    }
}
