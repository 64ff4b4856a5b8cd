import Foundation
import Hummingbird
import PetrelCore
import PetrelPersistence
import PetrelRuntime

/// `/api/v1/bots`: seed 002 bots — create (validated like `petrel config validate`), read, change, delete,
/// start, stop, pause, resume, the emergency stop, and each bot's status, positions, orders, fills,
/// equity and log tail. Traders act on their own bots, viewers read their own, administrators everything.
struct BotsController: Sendable {
    let services: ServerServices
    var fleet: BotFleet { services.fleet }

    /// A bot in lists.
    struct BotView: Encodable {
        var id: String
        var name: String
        var mode: String
        var lifecycle: String
        var tradingState: String
        var stateReason: String?
        var lastError: String?
        var restartCount: Int
        var ownerId: Int64?
        var createdAt: Int64
        var updatedAt: Int64

        init(_ record: BotRecord) {
            id = record.id
            name = record.name
            mode = record.mode.rawValue
            lifecycle = record.lifecycle.rawValue
            tradingState = record.tradingState.rawValue
            stateReason = record.stateReason
            lastError = record.lastError
            restartCount = record.restartCount
            ownerId = record.ownerID
            createdAt = record.createdAt
            updatedAt = record.updatedAt
        }
    }

    struct BotList: Encodable {
        var bots: [BotView]
    }

    struct BotDetail: Encodable {
        var bot: BotView
        /// The stored config text (the JSON as sent).
        var config: String
        var status: BotStatus?
    }

    struct Items<Item: Encodable>: Encodable {
        var items: [Item]
    }

    struct LogTail: Encodable {
        var lines: [String]
    }

    struct Halted: Encodable {
        var halted: [String]
    }

    func addRoutes(to group: RouterGroup<ServerContext>) {
        group.get(use: list)
        group.post(use: create)
        group.post("emergency-stop", use: emergencyStop)
        group.get(":id", use: detail)
        group.put(":id", use: update)
        group.delete(":id", use: delete)
        group.post(":id/start", use: start)
        group.post(":id/stop", use: stop)
        group.post(":id/pause", use: pause)
        group.post(":id/resume", use: resume)
        group.get(":id/status", use: status)
        group.get(":id/positions", use: positions)
        group.get(":id/orders", use: orders)
        group.get(":id/fills", use: fills)
        group.get(":id/trades", use: fills)
        group.get(":id/equity", use: equity)
        group.get(":id/logs", use: logs)
        group.get(":id/candles", use: candles)
    }

    @Sendable func list(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.viewer)
        let bots = try await services.fleet.bots.allBots().filter { Self.canSee($0, identity) }
        return try JSONResponse.make(BotList(bots: bots.map(BotView.init)))
    }

    @Sendable func create(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.trader)
        let members = try RawJSONMembers.split(try await request.bytes(context: context))
        let id = try Self.string(members, "id", required: true) ?? ""
        let name = try Self.string(members, "name", required: false)
        let config = try Self.config(members, required: true) ?? Data()
        let record = try await fleet.create(id: id, name: name, config: config, owner: identity.userID)
        services.hub.grant(record.id, to: identity.userID)
        await services.audit(
            identity.userID, identity.username, "bot_create", target: "bot:\(record.id)", address: context.address)
        return try JSONResponse.make(BotDetail(bot: BotView(record), config: record.configuration), status: .created)
    }

    @Sendable func detail(_ request: Request, context: ServerContext) async throws -> Response {
        let record = try await bot(context, needs: .viewer).record
        return try JSONResponse.make(
            BotDetail(bot: BotView(record), config: record.configuration, status: await fleet.status(id: record.id)))
    }

    @Sendable func update(_ request: Request, context: ServerContext) async throws -> Response {
        let (identity, record) = try await bot(context, needs: .trader)
        let members = try RawJSONMembers.split(try await request.bytes(context: context))
        let name = try Self.string(members, "name", required: false)
        let config = try Self.config(members, required: false)
        var reset = false
        if let raw = members["reset"] {
            guard let value = try? JSONDecoder().decode(Bool.self, from: raw) else {
                throw APIError.badRequest("reset must be true or false", field: "reset")
            }
            reset = value
        }
        let updated = try await fleet.update(id: record.id, name: name, config: config, reset: reset)
        await services.audit(
            identity.userID, identity.username, "bot_config_update", target: "bot:\(record.id)",
            detail: config == nil ? "name" : (reset ? "config, state reset" : "config"), address: context.address)
        return try JSONResponse.make(BotDetail(bot: BotView(updated), config: updated.configuration))
    }

    @Sendable func delete(_ request: Request, context: ServerContext) async throws -> Response {
        let (identity, record) = try await bot(context, needs: .trader)
        try await fleet.delete(id: record.id)
        await services.audit(
            identity.userID, identity.username, "bot_delete", target: "bot:\(record.id)", address: context.address)
        return Response(status: .noContent)
    }

    @Sendable func start(_ request: Request, context: ServerContext) async throws -> Response {
        try await act(context, "bot_start") { try await fleet.start(id: $0) }
    }

    @Sendable func stop(_ request: Request, context: ServerContext) async throws -> Response {
        try await act(context, "bot_stop") { try await fleet.stop(id: $0) }
    }

    @Sendable func pause(_ request: Request, context: ServerContext) async throws -> Response {
        try await act(context, "bot_pause") { try await fleet.pause(id: $0) }
    }

    @Sendable func resume(_ request: Request, context: ServerContext) async throws -> Response {
        try await act(context, "bot_resume") { try await fleet.resume(id: $0) }
    }

    /// Administrators halt every bot; traders halt their own.
    @Sendable func emergencyStop(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.trader)
        let reason = "emergency stop by \(identity.username)"
        let halted: [String]
        if identity.role == .admin {
            halted = await fleet.emergencyStop(reason: reason)
        } else {
            var own: [String] = []
            for bot in try await services.fleet.bots.allBots() where bot.ownerID == identity.userID {
                if await fleet.supervisor.runner(for: bot.id) != nil {
                    await fleet.supervisor.halt(bot.id, reason: reason)
                    own.append(bot.id)
                }
            }
            halted = own
        }
        await services.audit(
            identity.userID, identity.username, "emergency_stop", detail: halted.joined(separator: ","),
            address: context.address)
        return try JSONResponse.make(Halted(halted: halted))
    }

    @Sendable func status(_ request: Request, context: ServerContext) async throws -> Response {
        let record = try await bot(context, needs: .viewer).record
        guard let status = await fleet.status(id: record.id) else {
            throw APIError.conflict("bot '\(record.id)' has not run since the server started; start it first")
        }
        return try JSONResponse.make(status)
    }

    @Sendable func positions(_ request: Request, context: ServerContext) async throws -> Response {
        let record = try await bot(context, needs: .viewer).record
        return try JSONResponse.make(Items(items: try await services.fleet.bots.positions(bot: record.id)))
    }

    @Sendable func orders(_ request: Request, context: ServerContext) async throws -> Response {
        let record = try await bot(context, needs: .viewer).record
        let limit = try Self.limit(request)
        return try JSONResponse.make(
            Items(items: try await services.database.orderStore(bot: record.id).recentOrders(limit: limit)))
    }

    @Sendable func fills(_ request: Request, context: ServerContext) async throws -> Response {
        let record = try await bot(context, needs: .viewer).record
        let limit = try Self.limit(request)
        return try JSONResponse.make(
            Items(items: try await services.database.orderStore(bot: record.id).recentFills(limit: limit)))
    }

    @Sendable func equity(_ request: Request, context: ServerContext) async throws -> Response {
        let record = try await bot(context, needs: .viewer).record
        let limit = try Self.limit(request, default: 500, max: 10_000)
        var from: Int64?
        if let text = request.uri.queryParameters.get("from") {
            guard let value = Int64(text), value >= 0 else {
                throw APIError.badRequest("from must be a Unix time in milliseconds", field: "from")
            }
            from = value
        }
        return try JSONResponse.make(
            Items(items: try await services.database.equity.snapshots(bot: record.id, from: from, limit: limit)))
    }

    @Sendable func logs(_ request: Request, context: ServerContext) async throws -> Response {
        let record = try await bot(context, needs: .viewer).record
        let limit = try Self.limit(request, default: 100, max: 1_000)
        let path = (services.fleet.settings.dataDirectory as NSString).appendingPathComponent(
            "logs/live/\(record.id).log")
        return try JSONResponse.make(LogTail(lines: LogTailReader.lastLines(of: path, count: limit)))
    }

    /// The candles the bot has processed so far (its market up to its last candle), newest last.
    @Sendable func candles(_ request: Request, context: ServerContext) async throws -> Response {
        let record = try await bot(context, needs: .viewer).record
        let limit = try Self.limit(request, default: 200, max: 2_000)
        let status = await fleet.status(id: record.id)
        let candles = fleet.processedCandles(id: record.id, through: status?.feed.lastCandleTime, limit: limit)
        return try JSONResponse.make(Items(items: candles))
    }

    // MARK: - Helpers

    /// Runs a lifecycle action on a bot the caller may change, audits it and answers with the stored bot.
    func act(
        _ context: ServerContext, _ action: String, _ body: (String) async throws -> Void
    ) async throws -> Response {
        let (identity, record) = try await bot(context, needs: .trader)
        try await body(record.id)
        await services.audit(
            identity.userID, identity.username, action, target: "bot:\(record.id)", address: context.address)
        let stored = try await services.fleet.bots.bot(record.id) ?? record
        return try JSONResponse.make(BotView(stored))
    }

    /// The bot named in the path, if the caller has `role` and may see it (others' bots are 404, so ids
    /// do not leak).
    func bot(_ context: ServerContext, needs role: UserRole) async throws -> (
        identity: TokenService.Identity, record: BotRecord
    ) {
        let identity = try context.require(role)
        let id = try context.parameters.require("id")
        guard let record = try await services.fleet.bots.bot(id), Self.canSee(record, identity) else {
            throw APIError.notFound("no bot '\(id)'")
        }
        return (identity, record)
    }

    static func canSee(_ record: BotRecord, _ identity: TokenService.Identity) -> Bool {
        identity.role == .admin || record.ownerID == identity.userID
    }

    static func string(_ members: [String: Data], _ name: String, required: Bool) throws -> String? {
        guard let raw = members[name] else {
            if required { throw APIError.badRequest("\(name) is required", field: name) }
            return nil
        }
        guard let value = try? JSONDecoder().decode(String.self, from: raw) else {
            throw APIError.badRequest("\(name) must be a string", field: name)
        }
        return value
    }

    /// The config member: a JSON object (stored as sent) or a string holding one.
    static func config(_ members: [String: Data], required: Bool) throws -> Data? {
        guard let raw = members["config"] else {
            if required {
                throw APIError.badRequest("config is required (a seed 002 bot config object)", field: "config")
            }
            return nil
        }
        if raw.first == UInt8(ascii: "{") { return raw }
        if let text = try? JSONDecoder().decode(String.self, from: raw) { return Data(text.utf8) }
        throw APIError.badRequest("config must be a JSON object (a seed 002 bot config)", field: "config")
    }

    static func limit(_ request: Request, default fallback: Int = 50, max: Int = 500) throws -> Int {
        try request.queryInteger("limit", default: fallback, range: 1...max)
    }
}
