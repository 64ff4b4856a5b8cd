import PetrelNotifications
import PetrelRuntime

/// A bot's notifications: its own channels (its config's `notifications` section) or the server's, and
/// the mapping of what it does to messages.
public struct BotNotifications: Sendable {
    /// The bot's own dispatcher, which it stops when done (`nil` when it uses the server's).
    let own: NotificationDispatcher?
    let mapper: ActivityNotifications

    /// The channels of `bot`'s section, started; else `fallback` (the server's), else `nil`.
    /// - Parameters:
    ///   - environment: where `${NAME}` secrets are looked up.
    ///   - endpoints: the HTTP services' base URLs.
    ///   - note: told of configured channels this build cannot use.
    /// - Throws: ``BotSetupError`` at `$.notifications` when a channel cannot be built (a secret unset).
    static func make(
        botID: String, bot: BotConfiguration, environment: [String: String],
        endpoints: NotificationSetup.Endpoints = .init(), fallback: (any Notifier)?, note: (String) -> Void
    ) throws(BotSetupError) -> BotNotifications? {
        let built: (routes: [NotificationDispatcher.Route], unavailable: [(String, String)])
        do {
            built = try NotificationSetup.routes(for: bot.notifications, environment: environment, endpoints: endpoints)
        } catch {
            throw BotSetupError("notifications: \(error)", field: "$.notifications")
        }
        for (channel, why) in built.unavailable { note("notifications: \(channel) is not sent: \(why)") }
        let clock = LiveClock()
        if !built.routes.isEmpty {
            let dispatcher = NotificationDispatcher(routes: built.routes)
            dispatcher.start()
            return BotNotifications(
                own: dispatcher,
                mapper: ActivityNotifications(botID: botID, notifier: dispatcher, clock: { clock.now() }))
        }
        guard bot.notifications == nil, let fallback else { return nil }
        return BotNotifications(
            own: nil, mapper: ActivityNotifications(botID: botID, notifier: fallback, clock: { clock.now() }))
    }

    func observe(_ activity: BotActivity) { mapper.observe(activity) }

    /// The bot's own Telegram channel, if its section enables one (for answering commands).
    public var telegramChannel: TelegramChannel? { own?.channels.compactMap { $0 as? TelegramChannel }.first }

    /// Hands a message (a summary) to the bot's channels.
    func send(_ message: NotificationMessage) { mapper.notifier.notify(message) }

    /// Lets the bot's own channels send what is queued (a few seconds at most).
    public func close() async { await own?.shutdown() }
}
