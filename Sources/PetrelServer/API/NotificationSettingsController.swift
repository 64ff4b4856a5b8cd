import Foundation
import Hummingbird
import PetrelCore
import PetrelNotifications
import PetrelPersistence
import PetrelRuntime

/// `/api/v1/settings/notifications` (administrators): the server's notification channels — the global
/// defaults for bots without their own `notifications` section, and the channels of `send_alert` and of
/// Telegram commands. Secrets are write-only and sealed at rest; a change takes effect at once.
struct NotificationSettingsController: Sendable {
    let services: ServerServices
    /// One change at a time: the stored settings and the channels in use always match.
    let writes = AsyncLock()

    struct View: Encodable {
        struct Unavailable: Encodable {
            var channel: String
            var reason: String
        }

        /// `none`, `file` (`--notifications`, read-only here) or `database`.
        var source: String
        var notifications: [String: JSONValue]?
        var telegramCommands: Bool
        /// The settings whose secret is sealed in the database (`telegram.bot_token`); never the secrets.
        var storedSecrets: [String]
        /// The channels sending now.
        var channels: [String]
        var unavailable: [Unavailable]
        var updatedAt: Int64?
    }

    func addRoutes(to group: RouterGroup<ServerContext>) {
        group.get(use: show)
        group.put(use: update)
        group.delete(use: remove)
    }

    @Sendable func show(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try context.require(.admin)
        return try JSONResponse.make(try await view(unavailable: []))
    }

    @Sendable func update(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.admin)
        try refuseFileSource()
        let body = try await request.bytes(context: context)
        return try await writes.run { try await apply(body, identity: identity, address: context.address) }
    }

    func apply(_ body: Data, identity: TokenService.Identity, address: String) async throws -> Response {
        let stored = try await storedSettings()
        let settings = try NotificationSettings.merge(
            body: body, stored: stored, vault: services.vault, at: services.clock.now())
        let built = try settings.build(
            environment: services.fleet.settings.environment, vault: services.vault,
            endpoints: services.fleet.settings.notificationEndpoints)
        try await services.database.serverSettings.save(settings.record())
        await services.alerts.replace(with: built.dispatcher, source: .database, commands: settings.telegramCommands)
        let secrets = NotificationSettings.secretFields.map { "\($0.0).\($0.1)" }
        let changed = secrets.filter { settings.sealed[$0] != nil && settings.sealed[$0] != stored?.sealed[$0] }
        await services.audit(
            identity.userID, identity.username, "notifications_update", target: "settings:notifications",
            detail: "channels: \(services.alerts.channelNames.joined(separator: ",")); secrets set: "
                + (changed.isEmpty ? "none" : changed.joined(separator: ",")),
            address: address)
        return try JSONResponse.make(try await view(unavailable: built.unavailable))
    }

    @Sendable func remove(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.admin)
        try refuseFileSource()
        try await writes.run {
            guard try await services.database.serverSettings.delete(NotificationSettings.key) else {
                throw APIError.notFound("no notification settings are stored")
            }
            await services.alerts.replace(with: nil, source: .none, commands: false)
        }
        await services.audit(
            identity.userID, identity.username, "notifications_delete", target: "settings:notifications",
            address: context.address)
        return Response(status: .noContent)
    }

    func refuseFileSource() throws {
        guard services.alerts.source != .file else {
            throw APIError.conflict(
                "the server's channels come from --notifications FILE; edit the file and restart, or start without it to manage them here",
                field: "notifications")
        }
    }

    func storedSettings() async throws -> NotificationSettings? {
        try await services.database.serverSettings.setting(NotificationSettings.key).map {
            try NotificationSettings($0)
        }
    }

    func view(unavailable: [(String, String)]) async throws -> View {
        let source = services.alerts.source
        let stored = source == .file ? nil : try await storedSettings()
        return View(
            source: source == .file ? "file" : stored == nil ? "none" : "database",
            notifications: stored?.publicSection,
            telegramCommands: services.alerts.commandChannel != nil || (stored?.telegramCommands ?? false),
            storedSecrets: stored?.storedSecrets ?? [], channels: services.alerts.channelNames,
            unavailable: unavailable.map { View.Unavailable(channel: $0.0, reason: $0.1) },
            updatedAt: stored?.updatedAt)
    }
}

/// A lock for async work: one body runs at a time, the others wait their turn in order.
actor AsyncLock {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` alone.
    func run<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
        defer {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
        return try await body()
    }
}
