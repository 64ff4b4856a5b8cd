import Crypto
import Foundation
import HTTPTypes
import PetrelCore
import PetrelNotifications
import PetrelRuntime
import Testing

/// Telegram, Twilio and webhook channels against local servers that check the exact requests.
@Suite("Notification channels")
struct ChannelTests {
    static let message = NotificationMessage(
        event: .tradeExit, botID: "bot-1", title: "Closed long 0.5 BTC/USDT at 31000 <&>", body: "take profit",
        fields: [.init("P&L", "+500 USDT")], timestamp: 1_704_067_200_000)

    static func dispatcher(_ channel: any NotificationChannel, sleeps: RecordedSleeps) -> NotificationDispatcher {
        NotificationDispatcher(
            routes: [.init(channel: channel, events: Set(NotificationEvent.allCases))],
            sleep: { await sleeps.sleep($0) })
    }

    @Test("Telegram: sendMessage with HTML to every chat; a 429 waits retry_after, and no chat gets it twice")
    func telegram() async throws {
        let fake = FakeService(fallback: .init(status: .ok, body: #"{"ok":true,"result":{"message_id":1}}"#))
        try await fake.run { port in
            let channel = try TelegramChannel(
                token: "123456:SECRET-token", chatIDs: ["-100200300", "@alerts"], baseURL: "http://127.0.0.1:\(port)")
            fake.script([
                .init(status: .ok, body: #"{"ok":true,"result":{}}"#),
                .init(
                    status: .tooManyRequests,
                    body:
                        #"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}"#
                ),
            ])
            let sleeps = RecordedSleeps()
            let outcomes = await Self.dispatcher(channel, sleeps: sleeps).deliver(Self.message)
            #expect(outcomes.count == 1 && outcomes[0].error == nil)
            #expect(sleeps.all.count == 1 && sleeps.all[0] >= 3)
            let requests = fake.requests
            #expect(requests.map(\.path) == Array(repeating: "/bot123456:SECRET-token/sendMessage", count: 3))
            let chats = requests.compactMap { $0.json?["chat_id"] }.map { "\($0)" }
            #expect(chats == ["-100200300", "@alerts", "@alerts"])
            #expect(requests[0].json?["chat_id"] is Int)
            let first = try #require(requests[0].json)
            #expect(first["parse_mode"] as? String == "HTML")
            let text = try #require(first["text"] as? String)
            #expect(text.hasPrefix("<b>Closed long 0.5 BTC/USDT at 31000 &lt;&amp;&gt;</b>\ntake profit\n"))
            #expect(text.contains("<b>P&amp;L:</b> +500 USDT") && text.contains("<i>bot bot-1</i>"))
        }
    }

    @Test("Telegram: a refused token is not retried, and the token never appears in the error")
    func telegramRejected() async throws {
        let fake = FakeService(
            fallback: .init(
                status: .unauthorized,
                body: #"{"ok":false,"error_code":401,"description":"Unauthorized for 123456:SECRET-token"}"#))
        try await fake.run { port in
            let channel = try TelegramChannel(
                token: "123456:SECRET-token", chatIDs: ["42"], baseURL: "http://127.0.0.1:\(port)")
            let sleeps = RecordedSleeps()
            let outcome = await Self.dispatcher(channel, sleeps: sleeps).deliver(Self.message)
            guard case .rejected(let why)? = outcome.first?.error else {
                Issue.record("expected a rejection, got \(String(describing: outcome.first?.error))")
                return
            }
            #expect(!why.contains("SECRET") && why.contains("Unauthorized"))
            #expect(fake.requests.count == 1 && sleeps.all.isEmpty)
        }
        #expect(throws: NotificationSetupError.self) { try TelegramChannel(token: "", chatIDs: ["1"]) }
        #expect(throws: NotificationSetupError.self) { try TelegramChannel(token: "1:a", chatIDs: []) }
    }

    @Test("Twilio: a form POST per number with basic auth; an invalid number is rejected with Twilio's message")
    func twilio() async throws {
        let fake = FakeService(fallback: .init(status: .created, body: #"{"sid":"SM1","status":"queued"}"#))
        try await fake.run { port in
            let channel = try TwilioChannel(
                accountSID: "AC123", token: "auth-token-9", from: "+15550001111",
                to: ["+15550002222", "+4915112345678"],
                baseURL: "http://127.0.0.1:\(port)")
            let sleeps = RecordedSleeps()
            let dispatcher = Self.dispatcher(channel, sleeps: sleeps)
            #expect(await dispatcher.deliver(Self.message).first?.error == nil)
            let requests = fake.requests
            #expect(requests.count == 2)
            #expect(requests.allSatisfy { $0.path == "/2010-04-01/Accounts/AC123/Messages.json" })
            let expected = "Basic " + Data("AC123:auth-token-9".utf8).base64EncodedString()
            #expect(requests.allSatisfy { $0.headers[.authorization] == expected })
            #expect(requests.allSatisfy { $0.headers[.contentType] == "application/x-www-form-urlencoded" })
            #expect(requests.map { $0.form["To"] } == ["+15550002222", "+4915112345678"])
            #expect(requests[0].form["From"] == "+15550001111")
            #expect(
                requests[0].form["Body"]?.hasPrefix(
                    "Closed long 0.5 BTC/USDT at 31000 <&>\ntake profit\nP&L: +500 USDT") == true)

            fake.script([
                .init(
                    status: .tooManyRequests, body: #"{"code":20429,"message":"Too Many Requests"}"#,
                    headers: [HTTPField.Name("Retry-After")!: "2"]),
                .init(
                    status: .badRequest,
                    body: #"{"code":21211,"message":"The 'To' number is not a valid phone number.","status":400}"#),
            ])
            let second = NotificationMessage(event: .manual, title: "second", timestamp: 2)
            let outcome = await dispatcher.deliver(second)
            guard case .rejected(let why)? = outcome.first?.error else {
                Issue.record("expected a rejection, got \(String(describing: outcome.first?.error))")
                return
            }
            #expect(why.contains("not a valid phone number") && why.contains("21211"))
            #expect(sleeps.all.first.map { $0 >= 2 } == true)
        }
    }

    @Test("webhook: JSON body, HMAC signature over timestamp.body, a template, retries on 5xx")
    func webhook() async throws {
        let fake = FakeService(fallback: .init(status: .ok, body: "{}"))
        try await fake.run { port in
            let channel = try WebhookChannel(
                url: "http://127.0.0.1:\(port)/hooks/petrel", secret: "whsec-1", allowPrivateAddresses: true)
            let sleeps = RecordedSleeps()
            let dispatcher = Self.dispatcher(channel, sleeps: sleeps)
            #expect(await dispatcher.deliver(Self.message).first?.error == nil)
            let request = try #require(fake.requests.first)
            #expect(request.path == "/hooks/petrel")
            let json = try #require(request.json)
            #expect(json["event"] as? String == "trade_exit" && json["bot"] as? String == "bot-1")
            #expect((json["fields"] as? [String: String])?["P&L"] == "+500 USDT")
            #expect(json["timestamp"] as? Int == 1_704_067_200_000)
            let timestamp = try #require(request.headers[HTTPField.Name("X-Petrel-Timestamp")!])
            #expect(timestamp == "1704067200")
            var signed = Data(timestamp.utf8)
            signed.append(UInt8(ascii: "."))
            signed.append(request.body)
            let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data("whsec-1".utf8)))
            let expected = "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
            #expect(request.headers[HTTPField.Name("X-Petrel-Signature")!] == expected)
            #expect(request.headers[HTTPField.Name("X-Petrel-Event")!] == "trade_exit")

            let templated = try WebhookChannel(
                url: "http://127.0.0.1:\(port)/slack", secret: nil,
                template: ##"{"text":"{{title}}: {{body}}","channel":"#trading"}"##, allowPrivateAddresses: true)
            #expect(await Self.dispatcher(templated, sleeps: sleeps).deliver(Self.message).first?.error == nil)
            let slack = try #require(fake.requests.last?.json)
            #expect(slack["text"] as? String == "Closed long 0.5 BTC/USDT at 31000 <&>: take profit")
            #expect(fake.requests.last?.headers[HTTPField.Name("X-Petrel-Signature")!] == nil)

            fake.script(Array(repeating: .init(status: .serviceUnavailable, body: "{}"), count: 4))
            let failed = await dispatcher.deliver(NotificationMessage(event: .error, title: "x", timestamp: 5))
            guard case .retryable? = failed.first?.error else {
                Issue.record("expected a retryable failure, got \(String(describing: failed.first?.error))")
                return
            }
            #expect(dispatcher.counters()["webhook"]?.failed == 1 && dispatcher.counters()["webhook"]?.retried == 3)
        }
        #expect(throws: NotificationSetupError.self) {
            try WebhookChannel(url: "http://example.com", secret: nil, template: "{{nope}}")
        }
        #expect(throws: NotificationSetupError.self) { try WebhookChannel(url: "ftp://example.com", secret: nil) }
    }

    @Test("webhook: loopback, private and metadata addresses are refused unless allowed")
    func webhookAddresses() async throws {
        for url in ["http://127.0.0.1:9/x", "http://localhost:9/x", "http://169.254.169.254/latest", "http://[::1]:9/"]
        {
            let channel = try WebhookChannel(url: url, secret: nil)
            let outcome = await Self.dispatcher(channel, sleeps: RecordedSleeps()).deliver(Self.message)
            guard case .rejected(let why)? = outcome.first?.error else {
                Issue.record("\(url): expected a refusal, got \(String(describing: outcome.first?.error))")
                continue
            }
            #expect(why.contains("allow_private_addresses"), "\(url): \(why)")
        }
        let cases: [(String, String?)] = [
            ("127.0.0.1", "loopback"), ("10.1.2.3", "private"), ("172.20.0.1", "private"), ("192.168.1.1", "private"),
            ("169.254.169.254", "link-local (cloud metadata)"), ("100.64.0.1", "carrier-grade NAT"),
            ("0.0.0.0", "unspecified"), ("::1", "loopback"), ("fd00::1", "private (unique local)"),
            ("fe80::1", "link-local"), ("::ffff:10.0.0.1", "private"), ("8.8.8.8", nil), ("2001:4860:4860::8888", nil),
            ("172.32.0.1", nil),
        ]
        for (address, expected) in cases {
            #expect(AddressPolicy.refusal(address) == expected, "\(address)")
        }
    }
}

/// Answers every command with its name (the poller's tests need no fleet).
struct EchoCommands: TelegramCommandHandler {
    func handle(_ command: TelegramCommand, arguments: [String], chat: String) async -> String { "\(command)" }
}

@Suite("Telegram command polling")
struct TelegramPollingTests {
    @Test("the HTTP timeout of getUpdates outlasts the long poll's wait")
    func longPollTimeout() throws {
        let channel = try TelegramChannel(token: "1:tok", chatIDs: ["5"], baseURL: "http://127.0.0.1:9")
        for wait in [1, 25, 50] {
            let poller = TelegramCommandPoller(channel: channel, handler: EchoCommands(), timeoutSeconds: wait)
            #expect(poller.requestTimeoutSeconds > Int64(wait))
        }
    }

    @Test("a reply Telegram refuses is logged, not retried: the round still moves past the command")
    func refusedReply() async throws {
        let fake = FakeService(fallback: .init(status: .ok, body: #"{"ok":true,"result":[]}"#))
        try await fake.run { port in
            let channel = try TelegramChannel(token: "1:tok", chatIDs: ["5"], baseURL: "http://127.0.0.1:\(port)")
            fake.script([
                .init(
                    status: .ok,
                    body: #"{"ok":true,"result":[{"update_id":7,"message":{"chat":{"id":5},"text":"/help"}}]}"#),
                .init(
                    status: .forbidden,
                    body: #"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#),
            ])
            let poller = TelegramCommandPoller(channel: channel, handler: EchoCommands(), timeoutSeconds: 1)
            #expect(try await poller.poll(offset: nil) == 8)
            #expect(fake.requests.map(\.path) == ["/bot1:tok/getUpdates", "/bot1:tok/sendMessage"])
        }
    }

    @Test("cancelling the poller ends its long poll at once: the update Telegram sends later is not handled")
    func cancelDuringLongPoll() async throws {
        let fake = FakeService(fallback: .init(status: .ok, body: #"{"ok":true,"result":[]}"#))
        try await fake.run { port in
            let channel = try TelegramChannel(token: "1:tok", chatIDs: ["5"], baseURL: "http://127.0.0.1:\(port)")
            fake.script([
                .init(
                    status: .ok,
                    body: #"{"ok":true,"result":[{"update_id":7,"message":{"chat":{"id":5},"text":"/help"}}]}"#,
                    delayMilliseconds: 3_000)
            ])
            let poller = TelegramCommandPoller(channel: channel, handler: EchoCommands(), timeoutSeconds: 25)
            let polling = Task { await poller.run() }
            let asked = ContinuousClock.now + .seconds(20)
            while fake.requests.isEmpty, ContinuousClock.now < asked { try await Task.sleep(for: .milliseconds(20)) }
            #expect(fake.requests.map(\.path) == ["/bot1:tok/getUpdates"])
            polling.cancel()
            await polling.value
            #expect(fake.requests.map(\.path) == ["/bot1:tok/getUpdates"])
        }
    }
}
