import PetrelRuntime

/// Builds the channels of a config's `notifications` section, with the secrets it refers to
/// (`${TELEGRAM_BOT_TOKEN}`) looked up in the environment.
public enum NotificationSetup {
    /// Where the HTTP services are (tests and self-hosted gateways point them elsewhere).
    public struct Endpoints: Sendable {
        public var telegram = "https://api.telegram.org"
        public var twilio = "https://api.twilio.com"

        public init(telegram: String = "https://api.telegram.org", twilio: String = "https://api.twilio.com") {
            self.telegram = telegram
            self.twilio = twilio
        }
    }

    /// The enabled channels as dispatcher routes.
    /// - Parameters:
    ///   - notifications: the config's section (`nil`: no channel).
    ///   - environment: where `${NAME}` secrets are looked up.
    ///   - only: build just this channel (`petrel notify test --channel`), enabled or not.
    /// - Returns: the routes, and channels that are configured but cannot send in this build, with why.
    /// - Throws: ``NotificationSetupError`` naming the channel and the setting at fault.
    public static func routes(
        for notifications: BotConfiguration.Notifications?, environment: [String: String],
        endpoints: Endpoints = Endpoints(), only: String? = nil
    ) throws(NotificationSetupError) -> (routes: [NotificationDispatcher.Route], unavailable: [(String, String)]) {
        guard let notifications else { return ([], []) }
        var candidates: [(String, BotConfiguration.Channel)] = []
        if let only {
            let all = [
                ("telegram", notifications.telegram), ("email", notifications.email),
                ("webhook", notifications.webhook), ("sms", notifications.sms),
            ]
            guard let found = all.first(where: { $0.0 == only }), let channel = found.1 else {
                throw NotificationSetupError(
                    "\(only): the config's notifications section has no '\(only)' channel")
            }
            candidates = [(only, channel)]
        } else {
            candidates = notifications.activeChannels.map { ($0.name, $0.channel) }
        }
        var routes: [NotificationDispatcher.Route] = []
        let unavailable: [(String, String)] = []
        for (name, settings) in candidates {
            let events = Set(settings.notifyOn.compactMap(NotificationEvent.init(rawValue:)))
            switch name {
            case "telegram":
                let channel = try TelegramChannel(
                    token: try secret(settings, name, "bot_token", environment), chatIDs: settings.recipients,
                    baseURL: endpoints.telegram)
                routes.append(.init(channel: channel, events: events))
            case "sms":
                let channel = try TwilioChannel(
                    accountSID: settings.username ?? "", token: try secret(settings, name, "token", environment),
                    from: settings.sender ?? "", to: settings.recipients, baseURL: endpoints.twilio)
                routes.append(.init(channel: channel, events: events))
            case "webhook":
                guard let url = settings.url else { throw NotificationSetupError("webhook: url is required") }
                let secret = settings.credential == nil ? nil : try secret(settings, name, "secret", environment)
                let channel = try WebhookChannel(
                    url: url, secret: secret, template: settings.bodyTemplate,
                    allowPrivateAddresses: settings.allowPrivateAddresses)
                routes.append(.init(channel: channel, events: events))
            default:
                let password = settings.credential == nil ? nil : try secret(settings, name, "password", environment)
                let channel = try SMTPChannel(
                    host: settings.smtpHost ?? "", port: settings.smtpPort,
                    security: SMTPChannel.Security(rawValue: settings.smtpSecurity ?? "starttls") ?? .starttls,
                    username: settings.username, password: password, from: settings.sender ?? "",
                    to: settings.recipients, caFile: settings.caFile)
                routes.append(.init(channel: channel, events: events))
            }
        }
        return (routes, unavailable)
    }

    static func secret(
        _ settings: BotConfiguration.Channel, _ channel: String, _ key: String, _ environment: [String: String]
    ) throws(NotificationSetupError) -> String {
        guard let reference = settings.credential else {
            throw NotificationSetupError(
                "\(channel): \(key) is required, as a reference to an environment variable such as \"${\(channel.uppercased())_\(key.uppercased())}\""
            )
        }
        do {
            return try reference.resolve(in: environment)
        } catch {
            throw NotificationSetupError("\(channel): \(key) \(reference): \(error)")
        }
    }
}
