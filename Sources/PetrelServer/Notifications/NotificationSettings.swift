import Foundation
import PetrelCore
import PetrelNotifications
import PetrelPersistence
import PetrelRuntime

/// The server's notification channels as stored in `server_settings` under `notifications`: seed 002's
/// `notifications` section, and whether the Telegram channel answers commands.
///
/// A secret (`telegram.bot_token`, `email.password`, `webhook.secret`, `sms.token`) is either a
/// `${NAME}` reference to the server's environment, kept as written, or the secret itself: that is sealed
/// with the ``CredentialVault`` (AES-GCM, master key outside the database) and the section keeps a
/// reference to a reserved name (`${PETREL_STORED_TELEGRAM_BOT_TOKEN}`) that only the opened secret
/// provides. The stored JSON never holds a secret in the clear.
struct NotificationSettings: Sendable {
    static let key = "notifications"
    /// The secret setting of each channel.
    static let secretFields = [
        ("telegram", "bot_token"), ("email", "password"), ("webhook", "secret"), ("sms", "token"),
    ]
    /// Environment names the section may not refer to: they stand for sealed secrets.
    static let reservedPrefix = "PETREL_STORED_"
    /// The server's own variables (master key, JWT secret …) are never a channel's secret: an
    /// administrator could otherwise send them to a mail server of their choosing.
    static let serverPrefix = "PETREL_"
    /// The settings that say where a channel's secret goes: a sealed secret is kept only while they stay
    /// the same (a new host must not receive the old password).
    static let destinations = ["email": ["smtp_host", "username"], "webhook": ["url"], "sms": ["username"]]

    /// The `notifications` section, with sealed secrets as references to reserved names.
    var section: [String: JSONValue]
    /// Whether the Telegram channel answers commands.
    var telegramCommands: Bool
    /// Sealed secrets by setting (`telegram.bot_token`).
    var sealed: [String: Data]
    var updatedAt: Int64

    /// The reserved environment name standing for a sealed secret.
    static func reservedName(_ channel: String, _ field: String) -> String {
        "\(reservedPrefix)\(channel.uppercased())_\(field.uppercased())"
    }

    /// The vault context of a sealed secret (a ciphertext moved to another setting does not open).
    static func context(_ setting: String) -> String { "server_setting:\(key):\(setting)" }

    /// The stored settings, read back.
    /// - Throws: ``StorageError`` when the row does not hold what this type writes.
    init(_ record: ServerSettingRecord) throws(StorageError) {
        guard case .object(let top)? = try? JSONValue.parse(Data(record.value.utf8)),
            case .object(let section)? = top["notifications"]
        else {
            throw .storage("server setting \(Self.key): the stored value is not {\"notifications\": {…}}")
        }
        self.section = section
        if case .bool(let commands)? = top["telegram_commands"] {
            telegramCommands = commands
        } else {
            telegramCommands = false
        }
        sealed = record.sealed
        updatedAt = record.updatedAt
    }

    init(section: [String: JSONValue], telegramCommands: Bool, sealed: [String: Data], updatedAt: Int64) {
        self.section = section
        self.telegramCommands = telegramCommands
        self.sealed = sealed
        self.updatedAt = updatedAt
    }

    /// The row to store.
    func record() -> ServerSettingRecord {
        let top: JSONValue = .object(["notifications": .object(section), "telegram_commands": .bool(telegramCommands)])
        return ServerSettingRecord(key: Self.key, value: Self.text(top), sealed: sealed, updatedAt: updatedAt)
    }

    /// JSON text with sorted keys.
    static func text(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    /// The settings a `PUT` body asks for, merged with the stored ones: a secret left out keeps its stored
    /// value, `null` removes it, a `${NAME}` refers to the environment, anything else is sealed.
    /// - Throws: ``APIError`` 400 naming the member at fault.
    static func merge(
        body: Data, stored: NotificationSettings?, vault: CredentialVault, at now: Int64
    ) throws -> NotificationSettings {
        guard case .object(let top)? = try? JSONValue.parse(body) else {
            throw APIError.badRequest("the body must be a JSON object: {\"notifications\": {…}}")
        }
        if let unknown = top.keys.sorted().first(where: { !["notifications", "telegram_commands"].contains($0) }) {
            throw APIError.badRequest(
                "unknown member '\(unknown)'; allowed: notifications, telegram_commands", field: unknown)
        }
        guard case .object(var section)? = top["notifications"] else {
            throw APIError.badRequest(
                "notifications is required: seed 002's notifications section as an object", field: "notifications")
        }
        var commands = stored?.telegramCommands ?? false
        switch top["telegram_commands"] {
        case nil: break
        case .bool(let value)?: commands = value
        default: throw APIError.badRequest("telegram_commands must be true or false", field: "telegram_commands")
        }
        var sealed: [String: Data] = [:]
        for (channel, field) in secretFields {
            guard case .object(var settings)? = section[channel] else { continue }
            let setting = "\(channel).\(field)"
            let path = "$.notifications.\(channel).\(field)"
            switch settings[field] {
            case nil:
                // Kept as stored (a sealed secret or a reference), if the channel had one.
                guard case .object(let old)? = stored?.section[channel], let kept = old[field] else { break }
                if let bytes = stored?.sealed[setting] {
                    let moved = (destinations[channel] ?? []).filter { settings[$0] != old[$0] }
                    if let first = moved.first {
                        throw APIError.badRequest(
                            "\(channel).\(first) changed: send \(field) again (the stored one was given for the old \(moved.joined(separator: ", ")))",
                            field: path)
                    }
                    sealed[setting] = bytes
                }
                settings[field] = kept
            case .null?:
                settings[field] = nil
            case .string(let text)?:
                if let reference = SecretReference(parsing: text) {
                    if reference.name.hasPrefix(serverPrefix) {
                        throw APIError.badRequest(
                            "\(field): the server's own variables (\(serverPrefix)…) cannot be a channel's secret; give the secret itself or another ${NAME}",
                            field: path)
                    }
                } else {
                    guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                        throw APIError.badRequest("\(field) must not be empty", field: path)
                    }
                    guard text.utf8.count <= 4_096 else {
                        throw APIError.badRequest("\(field) is longer than 4096 bytes", field: path)
                    }
                    sealed[setting] = try vault.seal(text, context: context(setting))
                    settings[field] = .string("${\(reservedName(channel, field))}")
                }
            case let other?:
                throw APIError.badRequest(
                    "\(field) must be a string (the secret, or ${NAME} for an environment variable), not \(other)",
                    field: path)
            }
            section[channel] = .object(settings)
        }
        return NotificationSettings(section: section, telegramCommands: commands, sealed: sealed, updatedAt: now)
    }

    /// The section parsed and checked like a bot config's.
    /// - Throws: ``BotSetupError`` with every problem and its path.
    func parsed() throws(BotSetupError) -> BotConfiguration.Notifications? {
        let data = Data(Self.text(.object(["notifications": .object(section)])).utf8)
        do {
            return try BotConfiguration.parseNotificationsSection(data, source: "notifications")
        } catch {
            throw BotSetupError(error)
        }
    }

    /// `base` with the sealed secrets opened under their reserved names (the reserved names of `base`
    /// itself are dropped).
    /// - Throws: ``CredentialVault/OpenError`` when a secret does not open (another master key).
    func environment(_ base: [String: String], vault: CredentialVault) throws(CredentialVault.OpenError)
        -> [String: String]
    {
        var environment = base.filter { !$0.key.hasPrefix(Self.reservedPrefix) }
        for (setting, bytes) in sealed {
            let parts = setting.split(separator: ".").map(String.init)
            guard parts.count == 2 else { continue }
            environment[Self.reservedName(parts[0], parts[1])] = try vault.open(bytes, context: Self.context(setting))
        }
        return environment
    }

    /// The channels these settings describe, not started.
    /// - Returns: the dispatcher (`nil` when no channel is enabled) and the channels that cannot send.
    /// - Throws: ``APIError`` 400 naming what is wrong.
    func build(
        environment base: [String: String], vault: CredentialVault, endpoints: NotificationSetup.Endpoints
    ) throws -> (dispatcher: NotificationDispatcher?, unavailable: [(String, String)]) {
        let notifications = try parsed()
        let environment: [String: String]
        do {
            environment = try self.environment(base, vault: vault)
        } catch {
            throw APIError.conflict(
                "\(error.description); send the secrets again (PUT) or remove the settings (DELETE)",
                field: "notifications")
        }
        let built: (routes: [NotificationDispatcher.Route], unavailable: [(String, String)])
        do {
            built = try NotificationSetup.routes(for: notifications, environment: environment, endpoints: endpoints)
        } catch {
            throw APIError.badRequest("\(error)", field: "notifications")
        }
        if telegramCommands, !built.routes.contains(where: { $0.channel is TelegramChannel }) {
            throw APIError.badRequest(
                "telegram_commands needs an enabled telegram channel (and notifications enabled)",
                field: "telegram_commands")
        }
        return (built.routes.isEmpty ? nil : NotificationDispatcher(routes: built.routes), built.unavailable)
    }

    /// The section as the API shows it: sealed secrets left out (``storedSecrets`` names them).
    var publicSection: [String: JSONValue] {
        var shown = section
        for (channel, field) in Self.secretFields where sealed["\(channel).\(field)"] != nil {
            guard case .object(var settings)? = shown[channel] else { continue }
            settings[field] = nil
            shown[channel] = .object(settings)
        }
        return shown
    }

    /// The settings whose secret is sealed in the database, sorted.
    var storedSecrets: [String] { sealed.keys.sorted() }
}
