import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOWebSocket
import PetrelPersistence
import PetrelRuntime
import Synchronization

/// `/ws/bot/status/`: seed 000's protocol exactly (`connection` on connect; `get_status` → `bot_status`;
/// `get_recent_trades` → `recent_trades`; `update_config` → `config_updated`; broadcasts `trade_executed`
/// and `price_update`), extended with `"bot"` on every action, `subscribe`/`unsubscribe` per bot and event
/// type, and `{"type":"error","message":…}` for every bad request.
///
/// Authentication: `?ticket=` from `POST /api/v1/ws-ticket` (one use, 30 s) or an Authorization header.
struct WebSocketController: Sendable {
    let services: ServerServices
    /// The longest message a client may send.
    static let maxMessage = 64 << 10

    struct Ticket: Encodable {
        var ticket: String
        var expiresIn: Int64
    }

    func addRoutes(to router: Router<ServerContext>, api: RouterGroup<ServerContext>) {
        api.post("ws-ticket", use: ticket)
        router.group("ws/bot/status")
            .add(
                middleware: WebSocketAuthMiddleware(
                    tokens: services.tokens, users: services.users, tickets: services.tickets, clock: services.clock)
            )
            .ws { _, context in
                _ = try context.requireIdentity()
                return .upgrade([:])
            } onUpgrade: { inbound, outbound, context in
                guard let identity = context.requestContext.identity else {
                    try await outbound.close(.policyViolation, reason: "not authenticated")
                    return
                }
                try await session(identity: identity, inbound: inbound, outbound: outbound, logger: context.logger)
            }
    }

    @Sendable func ticket(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let ticket = services.tickets.issue(for: identity, now: services.clock.now())
        return try JSONResponse.make(Ticket(ticket: ticket, expiresIn: TicketStore.lifetime / 1_000))
    }

    /// One client: a writer task drains its queue to the socket while this task answers its requests.
    func session(
        identity: TokenService.Identity, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
        logger: Logger
    ) async throws {
        let visible = try await visibleBots(identity)
        let (client, queue) = services.hub.connect(identity: identity, visible: visible)
        services.hub.send(
            LiveEvent.encode(["type": "connection", "message": "Connected to bot status stream"]), to: client)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await text in queue { try await outbound.writeTextMessage(text) }
                if let reason = client.dropReason.withLock({ $0 }) {
                    try await outbound.close(.policyViolation, reason: reason)
                }
            }
            group.addTask {
                defer { services.hub.disconnect(client) }
                for try await message in inbound.messages(maxSize: Self.maxMessage) {
                    guard case .text(let text) = message else {
                        services.hub.send(Self.error("send JSON text messages"), to: client)
                        continue
                    }
                    let reply = await answer(text, client: client)
                    services.hub.send(reply, to: client)
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// The reply to one request.
    func answer(_ text: String, client: LiveHub.Client) async -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            return Self.error("the message is not a JSON object")
        }
        guard let action = object["action"] as? String else {
            return Self.error("'action' is required; expected one of \(Self.actions.joined(separator: ", "))")
        }
        do {
            let bot = try object["bot"].map { value -> String in
                guard let id = value as? String else { throw WebSocketProblem("'bot' must be a bot id string") }
                return id
            }
            switch action {
            case "get_status": return try await getStatus(bot: bot, client: client)
            case "get_recent_trades": return try await recentTrades(bot: bot, limit: object["limit"], client: client)
            case "update_config": return try await updateConfig(bot: bot, text: text, client: client)
            case "subscribe", "unsubscribe":
                return try subscribe(action == "subscribe", bot: bot, events: object["events"], client: client)
            default:
                throw WebSocketProblem(
                    "unknown action '\(action)'; expected one of \(Self.actions.joined(separator: ", "))")
            }
        } catch let problem as WebSocketProblem {
            return Self.error(problem.description)
        } catch {
            return Self.error("\(action) failed: \(error)")
        }
    }

    static let actions = ["get_status", "get_recent_trades", "update_config", "subscribe", "unsubscribe"]

    static func error(_ message: String) -> String {
        LiveEvent.encode(["type": "error", "message": message])
    }

    func getStatus(bot: String?, client: LiveHub.Client) async throws -> String {
        let id = try checkBot(bot, client: client)
        if id == PortfolioChannel.botID {
            return LiveEvent.encode(["type": "bot_status", "data": try await services.portfolio.status()])
        }
        var data = try await strategyStatus(id)
        data["recent_trades"] = try await strategyTrades(id, limit: 10)
        return LiveEvent.encode(["type": "bot_status", "data": data])
    }

    func recentTrades(bot: String?, limit: Any?, client: LiveHub.Client) async throws -> String {
        let id = try checkBot(bot, client: client)
        var count = 10
        if let limit {
            guard let number = limit as? Int, (1...500).contains(number) else {
                throw WebSocketProblem("'limit' must be an integer from 1 to 500")
            }
            count = number
        }
        let trades =
            id == PortfolioChannel.botID
            ? try await services.portfolio.recentTrades(limit: count) : try await strategyTrades(id, limit: count)
        return LiveEvent.encode(["type": "recent_trades", "bot": id, "data": trades])
    }

    /// `update_config`'s message, decoded so that booleans and numbers stay apart.
    struct UpdateMessage: Decodable {
        var data: [String: JSONScalar]?
    }

    func updateConfig(bot: String?, text: String, client: LiveHub.Client) async throws -> String {
        let id = try checkBot(bot, client: client)
        guard client.identity.role >= .trader else {
            throw WebSocketProblem("update_config needs the trader role; you are \(client.identity.role.rawValue)")
        }
        guard id == PortfolioChannel.botID else {
            throw WebSocketProblem(
                "update_config changes the portfolio bot's settings; change strategy bot '\(id)' with PUT /api/v1/bots/\(id)"
            )
        }
        guard client.identity.role == .admin else {
            throw WebSocketProblem(
                "the portfolio bot belongs to the administrators; update_config needs the admin role")
        }
        guard let message = try? JSONDecoder().decode(UpdateMessage.self, from: Data(text.utf8)),
            let fields = message.data
        else { throw WebSocketProblem("update_config needs 'data': an object of settings") }
        let status = try await services.portfolio.update(fields)
        await services.audit(
            client.identity.userID, client.identity.username, "bot_config_update", target: "bot:\(id)",
            detail: fields.keys.sorted().joined(separator: ","))
        return LiveEvent.encode([
            "type": "config_updated", "message": "Configuration updated successfully", "data": status,
        ])
    }

    func subscribe(_ on: Bool, bot: String?, events: Any?, client: LiveHub.Client) throws -> String {
        let target = bot ?? "*"
        if target != "*" { _ = try checkBot(target, client: client) }
        var kinds = Set(LiveEvent.Kind.allCases.filter { !$0.isBroadcast })
        if let events {
            guard let names = events as? [String] else {
                throw WebSocketProblem("'events' must be a list of event types")
            }
            let allowed = LiveEvent.Kind.allCases.filter { !$0.isBroadcast }.map(\.rawValue)
            kinds = []
            for name in names {
                guard let kind = LiveEvent.Kind(rawValue: name), !kind.isBroadcast else {
                    throw WebSocketProblem(
                        "unknown event type '\(name)'; expected one of \(allowed.joined(separator: ", "))")
                }
                kinds.insert(kind)
            }
        }
        let now = client.subscriptions.withLock { table -> [String] in
            if on {
                table[target, default: []].formUnion(kinds)
            } else {
                table[target]?.subtract(kinds)
                if table[target]?.isEmpty == true { table[target] = nil }
            }
            return (table[target] ?? []).map(\.rawValue).sorted()
        }
        return LiveEvent.encode(["type": on ? "subscribed" : "unsubscribed", "bot": target, "events": now])
    }

    /// The bot a request names (the portfolio bot when none), if the client may see it.
    func checkBot(_ bot: String?, client: LiveHub.Client) throws -> String {
        let id = bot ?? PortfolioChannel.botID
        if id == PortfolioChannel.botID { return id }
        guard client.canSee(id) else { throw WebSocketProblem("no bot '\(id)'") }
        return id
    }

    func strategyStatus(_ id: String) async throws -> [String: Any] {
        guard let record = try await services.fleet.bots.bot(id) else { throw WebSocketProblem("no bot '\(id)'") }
        guard let status = await services.fleet.status(id: id) else {
            return ["bot_id": id, "lifecycle": record.lifecycle.rawValue, "is_active": false]
        }
        let data = try JSONResponse.encoder.encode(status)
        var object = (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        object["is_active"] = status.lifecycle.isActive
        return object
    }

    func strategyTrades(_ id: String, limit: Int) async throws -> [Any] {
        let fills = try await services.database.orderStore(bot: id).recentFills(limit: limit)
        return (try JSONSerialization.jsonObject(with: try JSONResponse.encoder.encode(fills)) as? [Any]) ?? []
    }

    /// `nil` for administrators (every bot), else the ids of the user's bots.
    func visibleBots(_ identity: TokenService.Identity) async throws -> Set<String>? {
        guard identity.role != .admin else { return nil }
        return Set(try await services.fleet.bots.allBots().filter { $0.ownerID == identity.userID }.map(\.id))
    }
}

/// Authenticates a WebSocket upgrade by `?ticket=` (used up) or by the Authorization header.
struct WebSocketAuthMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let tokens: TokenService
    let users: UserDirectory
    let tickets: TicketStore
    let clock: any TradingClock

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response)
        async throws -> Response
    {
        var context = context
        if let ticket = request.uri.queryParameters.get("ticket") {
            guard let identity = tickets.redeem(ticket, now: clock.now()), users.isActive(identity.userID) else {
                throw APIError.unauthorized(
                    "the ticket is unknown, used or expired; get a new one (POST /api/v1/ws-ticket)")
            }
            context.identity = identity
            return try await next(request, context)
        }
        return try await AuthMiddleware(tokens: tokens, users: users).handle(request, context: context, next: next)
    }
}
