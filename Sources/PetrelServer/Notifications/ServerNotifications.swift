import PetrelNotifications
import PetrelRuntime
import Synchronization

/// The server's own notification channels: they send `POST /api/send_alert`, serve every bot whose config
/// has no `notifications` section, and (with commands on) answer Telegram commands. They come from
/// `--notifications FILE` or from the settings stored through the API, and are replaced in place when
/// those change: bots hold this object, not the channels, so they send through the new ones at once.
public final class ServerNotifications: Notifier, Sendable {
    /// Where the channels come from.
    public enum Source: String, Sendable {
        /// No channel.
        case none
        /// `--notifications FILE` (the API cannot change them).
        case file
        /// The `notifications` server setting (`/api/v1/settings/notifications`).
        case database
    }

    struct State {
        var dispatcher: NotificationDispatcher?
        var source: Source
        var commands: Bool
    }

    private let state: Mutex<State>
    /// `--telegram-commands`: commands are answered whatever the settings say.
    public let commandsFlag: Bool

    /// - Parameters:
    ///   - dispatcher: the channels, started.
    ///   - source: where they come from.
    ///   - commands: whether the Telegram channel answers commands.
    ///   - commandsFlag: `--telegram-commands` (commands on for every channel set that has Telegram).
    public init(
        dispatcher: NotificationDispatcher? = nil, source: Source = .none, commands: Bool = false,
        commandsFlag: Bool = false
    ) {
        self.commandsFlag = commandsFlag
        state = Mutex(
            State(
                dispatcher: dispatcher, source: dispatcher == nil ? .none : source, commands: commands || commandsFlag))
    }

    /// The channels now (`nil`: none).
    public var dispatcher: NotificationDispatcher? { state.withLock { $0.dispatcher } }

    /// Where the channels come from.
    public var source: Source { state.withLock { $0.source } }

    /// The names of the channels now.
    public var channelNames: [String] { dispatcher?.channelNames ?? [] }

    /// The Telegram channel that answers commands, when commands are on and one is configured.
    public var commandChannel: TelegramChannel? {
        let (dispatcher, commands) = state.withLock { ($0.dispatcher, $0.commands) }
        guard commands else { return nil }
        return dispatcher?.channels.compactMap { $0 as? TelegramChannel }.first
    }

    public func notify(_ notification: NotificationMessage) { dispatcher?.notify(notification) }

    /// Puts new channels in place (started here); the old ones get a few seconds to send what is queued.
    public func replace(with dispatcher: NotificationDispatcher?, source: Source, commands: Bool) async {
        dispatcher?.start()
        let old = state.withLock { state -> NotificationDispatcher? in
            defer {
                state = State(
                    dispatcher: dispatcher, source: dispatcher == nil ? .none : source,
                    commands: commands || commandsFlag)
            }
            return state.dispatcher
        }
        await old?.shutdown()
    }

    /// Stops the channels (queued messages get a few seconds).
    public func shutdown() async {
        let old = state.withLock { state -> NotificationDispatcher? in
            defer { state.dispatcher = nil }
            return state.dispatcher
        }
        await old?.shutdown()
    }
}
