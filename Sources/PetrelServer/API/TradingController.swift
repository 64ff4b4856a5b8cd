import Foundation
import Hummingbird
import PetrelCore
import PetrelPersistence
import PetrelRuntime

/// Seed 004's trading engine routes over many bots at once: `/api/v1/trading/status`, `start`, `stop`,
/// `pause`, `resume` and `positions`. The actions take `{"bots": [ids]}` (default: every bot the caller
/// may change) and answer per bot, so one failing bot does not hide what happened to the others.
struct TradingController: Sendable {
    let services: ServerServices
    var fleet: BotFleet { services.fleet }

    struct EngineStatus: Encodable {
        /// `running` when any bot runs, `paused` when every active bot is paused, else `stopped`.
        var state: String
        var bots: Int
        var byLifecycle: [String: Int]
        var byTradingState: [String: Int]
        var openPositions: Int
        var openOrders: Int
        /// Summed per quote asset, from the bots that have run since the server started.
        var equity: [String: Money]
        var realizedPnL: [String: Money]
        var startedAt: Int64
    }

    struct Outcome: Encodable {
        var bot: String
        var ok: Bool
        var lifecycle: String?
        var error: String?
    }

    struct ActionResult: Encodable {
        var action: String
        var results: [Outcome]
    }

    struct PositionRow: Encodable {
        var bot: String
        var symbol: String
        var quantity: Quantity
        var averagePrice: Price
        var realizedPnL: Money
        var updatedAt: Int64
    }

    struct PositionList: Encodable {
        var positions: [PositionRow]
    }

    func addRoutes(to group: RouterGroup<ServerContext>) {
        group.get("status", use: status)
        group.post("start", use: start)
        group.post("stop", use: stop)
        group.post("pause", use: pause)
        group.post("resume", use: resume)
        group.get("positions", use: positions)
    }

    @Sendable func status(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.viewer)
        let records = try await fleet.bots.allBots().filter { BotsController.canSee($0, identity) }
        var byLifecycle: [String: Int] = [:]
        var byTradingState: [String: Int] = [:]
        var equity: [String: Money] = [:]
        var realized: [String: Money] = [:]
        var positions = 0
        var orders = 0
        for record in records {
            byLifecycle[record.lifecycle.rawValue, default: 0] += 1
            byTradingState[record.tradingState.rawValue, default: 0] += 1
            guard let status = await fleet.status(id: record.id) else { continue }
            positions += status.positions.count
            orders += status.openOrders
            equity[status.broker.quoteAsset, default: .zero] += status.broker.equity
            realized[status.broker.quoteAsset, default: .zero] += status.realizedPnL
        }
        let active = records.filter { $0.lifecycle.isActive }
        let state: String
        if active.isEmpty {
            state = "stopped"
        } else if active.allSatisfy({ $0.lifecycle == .paused }) {
            state = "paused"
        } else {
            state = "running"
        }
        return try JSONResponse.make(
            EngineStatus(
                state: state, bots: records.count, byLifecycle: byLifecycle, byTradingState: byTradingState,
                openPositions: positions, openOrders: orders, equity: equity, realizedPnL: realized,
                startedAt: services.startedAt))
    }

    @Sendable func start(_ request: Request, context: ServerContext) async throws -> Response {
        try await act(request, context, "start", skip: { $0.lifecycle.isActive }) { try await fleet.start(id: $0) }
    }

    @Sendable func stop(_ request: Request, context: ServerContext) async throws -> Response {
        try await act(request, context, "stop", skip: { !$0.lifecycle.isActive }) { try await fleet.stop(id: $0) }
    }

    @Sendable func pause(_ request: Request, context: ServerContext) async throws -> Response {
        try await act(request, context, "pause", skip: { $0.lifecycle != .running }) { try await fleet.pause(id: $0) }
    }

    @Sendable func resume(_ request: Request, context: ServerContext) async throws -> Response {
        try await act(request, context, "resume", skip: { $0.lifecycle != .paused }) { try await fleet.resume(id: $0) }
    }

    @Sendable func positions(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.viewer)
        var rows: [PositionRow] = []
        for record in try await fleet.bots.allBots() where BotsController.canSee(record, identity) {
            for position in try await fleet.bots.positions(bot: record.id) where !position.quantity.isZero {
                rows.append(
                    PositionRow(
                        bot: record.id, symbol: position.symbol.description, quantity: position.quantity,
                        averagePrice: position.averagePrice, realizedPnL: position.realizedPnL,
                        updatedAt: position.updatedAt))
            }
        }
        return try JSONResponse.make(PositionList(positions: rows))
    }

    /// Runs `body` on each chosen bot. Without `bots`, the caller's bots (an administrator's: all) for
    /// which `skip` is false; named bots are all tried and answer for themselves.
    func act(
        _ request: Request, _ context: ServerContext, _ action: String, skip: (BotRecord) -> Bool,
        _ body: (String) async throws -> Void
    ) async throws -> Response {
        let identity = try context.require(.trader)
        let named = try await Self.botIDs(request, context: context)
        let visible = try await fleet.bots.allBots().filter {
            BotsController.canSee($0, identity) && $0.id != BotAssembly.portfolioBotID
        }
        var chosen: [BotRecord]
        if let named {
            chosen = []
            for id in named {
                guard let record = visible.first(where: { $0.id == id }) else {
                    throw APIError.notFound("no bot '\(id)'")
                }
                chosen.append(record)
            }
        } else {
            chosen = visible.filter { !skip($0) }
        }
        var results: [Outcome] = []
        for record in chosen {
            do {
                try await body(record.id)
                await services.audit(
                    identity.userID, identity.username, "bot_\(action)", target: "bot:\(record.id)",
                    detail: "trading/\(action)", address: context.address)
                let stored = try await fleet.bots.bot(record.id)
                results.append(Outcome(bot: record.id, ok: true, lifecycle: stored?.lifecycle.rawValue))
            } catch {
                let mapped = ErrorMiddleware<ServerContext>.map(error)
                results.append(
                    Outcome(bot: record.id, ok: false, lifecycle: record.lifecycle.rawValue, error: mapped.message))
            }
        }
        return try JSONResponse.make(ActionResult(action: action, results: results))
    }

    /// The optional `{"bots": [ids]}` body (an empty body means every bot).
    static func botIDs(_ request: Request, context: ServerContext) async throws -> [String]? {
        let body = try await request.bytes(context: context)
        guard !body.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return nil }
        let members = try RawJSONMembers.split(body)
        try JSONFields.allow(members, ["bots"])
        guard let raw = members["bots"] else { return nil }
        guard let ids = try? JSONDecoder().decode([String].self, from: raw), !ids.isEmpty, ids.count <= 1_000 else {
            throw APIError.badRequest("bots must be a non-empty array of bot ids", field: "bots")
        }
        return ids
    }
}
