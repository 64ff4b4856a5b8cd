import Foundation
import Logging
import PetrelRuntime

/// The commands the Telegram bot answers (freqtrade's set): `/status`, `/profit`, `/balance`, `/trades`,
/// `/start`, `/stop`, `/pause`, `/stopentry`, `/forceexit`, `/daily`, `/help`.
public enum TelegramCommand: String, Sendable, CaseIterable {
    case status, profit, balance, trades, start, stop, pause, stopentry, forceexit, daily, help

    /// One line of `/help`.
    public var summary: String {
        switch self {
        case .status: return "bots with their state, equity and open positions"
        case .profit: return "P&L, win rate and drawdown per bot"
        case .balance: return "equity and cash per bot"
        case .trades: return "the latest closed trades (/trades BOT)"
        case .start: return "start a bot (/start BOT)"
        case .stop: return "stop a bot (/stop BOT)"
        case .pause: return "pause a bot's new entries (/pause BOT)"
        case .stopentry: return "the same as /pause: no new entries, exits go on"
        case .forceexit: return "close a bot's positions and halt it (/forceexit BOT)"
        case .daily: return "today's P&L per bot"
        case .help: return "this list"
        }
    }

    /// `/stop@PetrelBot demo` → (`stop`, `["demo"]`); `nil` for text that is not a known command.
    public static func parse(_ text: String) -> (TelegramCommand, [String])? {
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let first = words.first, first.hasPrefix("/") else { return nil }
        let name = first.dropFirst().split(separator: "@", maxSplits: 1).first.map(String.init) ?? ""
        guard let command = TelegramCommand(rawValue: name.lowercased()) else { return nil }
        return (command, Array(words.dropFirst()))
    }

    /// The `/help` text.
    public static var helpText: String {
        allCases.map { "/\($0.rawValue) — \(TelegramChannel.escape($0.summary))" }.joined(separator: "\n")
    }
}

/// What answers the commands (the server's fleet): returns the reply, HTML-formatted for Telegram.
public protocol TelegramCommandHandler: Sendable {
    func handle(_ command: TelegramCommand, arguments: [String], chat: String) async -> String
}

/// Long-polls Telegram's `getUpdates` and answers commands from the configured chats only; messages
/// from any other chat are ignored (and logged without their text). Offsets move past every update, so
/// none is handled twice; failures back off from 1 s to 60 s; a refused token (401) pauses the poller
/// until the channel's token changes.
public final class TelegramCommandPoller: Sendable {
    /// The channel to poll now (`nil`: none, wait); a different one starts from a fresh offset.
    let source: @Sendable () -> TelegramChannel?
    let handler: any TelegramCommandHandler
    let timeoutSeconds: Int
    let logger: Logger
    let sleep: @Sendable (Double) async -> Void

    /// - Parameters:
    ///   - channel: the bot token, base URL and the chats allowed to command.
    ///   - timeoutSeconds: the long poll's wait (Telegram holds the request open that long).
    public convenience init(
        channel: TelegramChannel, handler: any TelegramCommandHandler, timeoutSeconds: Int = 25,
        logger: Logger = Logger(label: "petrel.telegram"),
        sleep: @escaping @Sendable (Double) async -> Void = { seconds in
            try? await Task.sleep(for: .milliseconds(Int64(seconds * 1_000)))
        }
    ) {
        self.init(source: { channel }, handler: handler, timeoutSeconds: timeoutSeconds, logger: logger, sleep: sleep)
    }

    /// A poller that follows a channel that may change or go away (the server's, edited through the API).
    /// - Parameters:
    ///   - source: the channel to poll now; while it gives `nil` the poller waits a few seconds and asks again.
    public init(
        source: @escaping @Sendable () -> TelegramChannel?, handler: any TelegramCommandHandler,
        timeoutSeconds: Int = 25, logger: Logger = Logger(label: "petrel.telegram"),
        sleep: @escaping @Sendable (Double) async -> Void = { seconds in
            try? await Task.sleep(for: .milliseconds(Int64(seconds * 1_000)))
        }
    ) {
        self.source = source
        self.handler = handler
        self.timeoutSeconds = timeoutSeconds
        self.logger = logger
        self.sleep = sleep
    }

    /// How long one `getUpdates` request may take: Telegram holds it open for the long poll's wait, so the
    /// HTTP timeout must outlast that wait, with room for a slow answer.
    public var requestTimeoutSeconds: Int64 { Int64(timeoutSeconds) + 15 }

    /// Polls until cancelled (or the token is refused). A reply being sent when the task is cancelled is
    /// still sent, and the last updates handled are confirmed to Telegram before it returns, so a restart
    /// does not run the same commands again (Telegram forgets an update only when asked for later ones).
    public func run() async {
        var current: TelegramChannel?
        var offset: Int64?
        var confirmed: Int64?
        var backoff = 1.0
        while !Task.isCancelled {
            guard let channel = source() else {
                await sleep(2)
                continue
            }
            if let previous = current, !previous.sameBot(as: channel) {
                if let offset, offset != confirmed { await confirm(offset, on: previous) }
                offset = nil
                backoff = 1
            }
            current = channel
            do {
                let sent = offset
                offset = try await poll(channel, offset: offset)
                // Telegram forgot the updates before `sent` once this request reached it.
                confirmed = sent
                backoff = 1
            } catch {
                if case .rejected(let why) = error, why.contains("Unauthorized") {
                    logger.error("telegram commands paused: the bot token was refused")
                    // Waits until the channel changes (another token) or the poller is cancelled.
                    while !Task.isCancelled, let next = source(), next.sameBot(as: channel) { await sleep(5) }
                    continue
                }
                if Task.isCancelled { break }
                logger.warning("telegram getUpdates failed", metadata: ["error": .string(error.description)])
                await sleep(backoff)
                backoff = min(60, backoff * 2)
            }
        }
        if let current, let offset, offset != confirmed { await confirm(offset, on: current) }
    }

    /// Runs `operation` to its end even when the calling task is cancelled.
    static func shielded(
        _ operation: @escaping @Sendable () async throws(DeliveryError) -> Void
    ) async throws(DeliveryError) {
        let result = await Task { () async -> Result<Void, DeliveryError> in
            do throws(DeliveryError) {
                try await operation()
                return .success(())
            } catch {
                return .failure(error)
            }
        }.value
        try result.get()
    }

    /// Tells Telegram that every update before `offset` was handled (a `getUpdates` that does not wait).
    func confirm(_ offset: Int64, on channel: TelegramChannel) async {
        let body = TelegramChannel.json([
            "offset": offset, "timeout": 0, "limit": 1, "allowed_updates": ["message"],
        ])
        do {
            try await Self.shielded { () async throws(DeliveryError) in
                _ = try await channel.call("getUpdates", json: body, timeoutSeconds: 5)
            }
        } catch {
            logger.warning(
                "telegram: the handled updates could not be confirmed; they may be answered again after a restart",
                metadata: ["error": .string("\(error)")])
        }
    }

    /// One `getUpdates` round on the channel the source gives now: answers each command and returns the
    /// next offset.
    /// - Throws: ``DeliveryError/rejected(_:)`` when there is no channel.
    public func poll(offset: Int64?) async throws(DeliveryError) -> Int64? {
        guard let channel = source() else { throw .rejected("telegram: no channel to poll") }
        return try await poll(channel, offset: offset)
    }

    func poll(_ channel: TelegramChannel, offset: Int64?) async throws(DeliveryError) -> Int64? {
        let allowed = Set(channel.chatIDs)
        var body: [String: Any] = ["timeout": timeoutSeconds, "allowed_updates": ["message"]]
        if let offset { body["offset"] = offset }
        let result = try await channel.call("getUpdates", body: body, timeoutSeconds: requestTimeoutSeconds)
        var next = offset
        for update in result as? [[String: Any]] ?? [] {
            guard let id = (update["update_id"] as? NSNumber)?.int64Value else { continue }
            next = max(next ?? 0, id + 1)
            guard let message = update["message"] as? [String: Any],
                let chat = (message["chat"] as? [String: Any])?["id"], let text = message["text"] as? String
            else { continue }
            let chatID = "\(chat)"
            guard
                allowed.contains(chatID)
                    || allowed.contains("@\((message["chat"] as? [String: Any])?["username"] ?? "")")
            else {
                logger.warning(
                    "telegram command from a chat that is not configured, ignored", metadata: ["chat": .string(chatID)])
                continue
            }
            guard let (command, arguments) = TelegramCommand.parse(text) else { continue }
            let reply = await handler.handle(command, arguments: arguments, chat: chatID)
            // Sent also when the poller is being cancelled: the command has acted, its chat is told. A reply
            // that fails is logged and not retried: failing the round would handle the command again.
            let body = TelegramChannel.json(TelegramChannel.messageBody(chat: chatID, text: reply))
            do {
                try await Self.shielded { () async throws(DeliveryError) in
                    _ = try await channel.call("sendMessage", json: body, timeoutSeconds: 10)
                }
            } catch {
                logger.warning(
                    "telegram: the reply to a command could not be sent",
                    metadata: ["chat": .string(chatID), "error": .string(error.description)])
            }
        }
        return next
    }
}
