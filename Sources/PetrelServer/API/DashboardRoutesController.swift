import Foundation
import Hummingbird
import PetrelCore
import PetrelNotifications
import PetrelPersistence
import PetrelRuntime

/// Seed 003's dashboard routes (`/api/overview`, `/api/bot/:id/details`, `/api/bot/:id/start|stop|update`,
/// `/api/create-bot`), answering in its shape: a bot is `{id, name, symbol, strategy, trade_amount, status,
/// profit, trades}`. They drive the same bots as `/api/v1/bots` and need the same token and roles.
///
/// A bot created here is seed 003's: one position at a time, a fixed `trade_amount` of USDT per entry,
/// 15-minute candles. Until the venue adapters exist it trades on the built-in simulated market (at real
/// time unless `speed` says otherwise), and says so in its name.
struct DashboardRoutesController: Sendable {
    let services: ServerServices
    var bots: BotsController { BotsController(services: services) }

    struct CreateBody: Decodable {
        var name: String
        var symbol: String
        var strategy: String
        var tradeAmount: Double
        var speed: Double?

        enum CodingKeys: String, CodingKey {
            case name, symbol, strategy, speed
            case tradeAmount = "trade_amount"
        }
    }

    struct UpdateBody: Decodable {
        var name: String?
        var strategy: String?
        var tradeAmount: Double?

        enum CodingKeys: String, CodingKey {
            case name, strategy
            case tradeAmount = "trade_amount"
        }
    }

    func addRoutes(to group: RouterGroup<ServerContext>) {
        group.get("overview", use: overview)
        group.get("bot/:id/details", use: details)
        group.post("bot/:id/start", use: start)
        group.post("bot/:id/stop", use: stop)
        group.post("bot/:id/update", use: update)
        group.post("create-bot", use: create)
        group.get("search-coins", use: searchCoins)
        group.post("send_alert", use: sendAlert)
    }

    /// Seed 003's manual alert: `{"message", "title"?, "channel"?, "bot"?}` sent now through the server's
    /// notification channels (`--notifications`), every one or the named one. 200 with each channel's
    /// outcome when at least one delivered it; 502 when none did; 409 when no channel is configured.
    @Sendable func sendAlert(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.trader)
        let members = try RawJSONMembers.split(try await request.bytes(context: context))
        try JSONFields.allow(members, ["message", "title", "channel", "bot"])
        let field = JSONFields(members)
        guard let message = try field.string("message", maxLength: 1_000),
            !message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        else {
            throw APIError.badRequest("message is required (1 to 1000 characters)", field: "message")
        }
        let title = try field.string("title", maxLength: 120) ?? "Alert from \(identity.username)"
        guard let alerts = services.alerts.dispatcher, !alerts.channelNames.isEmpty else {
            throw APIError.conflict(
                "no notification channel is configured: set them under Settings → Notifications (PUT /api/v1/settings/notifications) or start petrel serve with --notifications FILE",
                field: "channel")
        }
        var channels: Set<String>?
        if let name = try field.string("channel", maxLength: 20) {
            guard alerts.channelNames.contains(name) else {
                throw APIError.badRequest(
                    "channel '\(name)' is not configured; configured: \(alerts.channelNames.joined(separator: ", "))",
                    field: "channel")
            }
            channels = [name]
        }
        var botID: String?
        if let id = try field.string("bot", maxLength: 40) {
            guard let record = try await services.fleet.bots.bot(id), BotsController.canSee(record, identity) else {
                throw APIError.notFound("no bot '\(id)'")
            }
            botID = record.id
        }
        let outcomes = await alerts.deliver(
            NotificationMessage(
                event: .manual, botID: botID, title: title, body: message, timestamp: services.clock.now()),
            channels: channels)
        await services.audit(
            identity.userID, identity.username, "send_alert", target: botID.map { "bot:\($0)" } ?? "",
            detail: outcomes.map { "\($0.channel)=\($0.error == nil ? "sent" : "failed")" }.joined(separator: ","),
            address: context.address)
        let results: [[String: Any]] = outcomes.map { outcome in
            var result: [String: Any] = ["channel": outcome.channel, "delivered": outcome.error == nil]
            if let error = outcome.error { result["error"] = error.description }
            return result
        }
        guard outcomes.contains(where: { $0.error == nil }) else {
            throw APIError(
                .badGateway, code: "delivery_failed",
                message: "the alert was not delivered: "
                    + outcomes.map { "\($0.channel): \($0.error?.description ?? "")" }.joined(separator: "; "))
        }
        return try JSONResponse.object(["success": true, "results": results])
    }

    /// Seed 003's coin search: the venue's instruments whose id or base asset contains `q` (Binance once
    /// its adapter is configured, else the simulated venue, which the answer says). At most 50, exact base
    /// matches first, then by 24-hour traded value.
    @Sendable func searchCoins(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try context.require(.viewer)
        let query = (request.uri.queryParameters.get("q") ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        guard (1...20).contains(query.count) else {
            throw APIError.badRequest("q must be 1 to 20 characters (part of a symbol, e.g. BTC)", field: "q")
        }
        let name =
            request.uri.queryParameters.get("venue")
            ?? (services.directories["binance"] != nil ? "binance" : "simulated")
        let directory = try services.directory(name)
        let listed = try await services.instruments(of: directory)
        let compact = query.replacingOccurrences(of: "/", with: "").replacingOccurrences(of: "-", with: "")
        let matches = listed.filter { instrument in
            let id = instrument.symbol.uppercased().replacingOccurrences(of: "/", with: "")
                .replacingOccurrences(of: "-", with: "")
            return id.contains(compact) || instrument.base.uppercased().contains(query)
        }
        .sorted { a, b in
            let exactA = a.base.uppercased() == query
            let exactB = b.base.uppercased() == query
            if exactA != exactB { return exactA }
            return (a.volume24h ?? 0, b.symbol) > (b.volume24h ?? 0, a.symbol)
        }
        .prefix(50)
        let coins: [[String: Any]] = matches.map { instrument in
            var coin: [String: Any] = [
                "symbol": instrument.symbol, "base": instrument.base, "quote": instrument.quote,
                "kind": instrument.kind.rawValue,
            ]
            if let price = instrument.lastPrice { coin["price"] = price.doubleValue }
            if let volume = instrument.volume24h { coin["volume_24h"] = volume }
            return coin
        }
        return try JSONResponse.object(["venue": name, "simulated": directory.isSimulated, "coins": coins])
    }

    @Sendable func overview(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.viewer)
        let records = try await services.fleet.bots.allBots().filter { BotsController.canSee($0, identity) }
        var list: [[String: Any]] = []
        var profit = 0.0, trades = 0, running = 0, balance = 0.0
        for record in records {
            let entry = try await seedBot(record)
            list.append(entry)
            profit += entry["profit"] as? Double ?? 0
            trades += entry["trades"] as? Int ?? 0
            if record.lifecycle.isActive { running += 1 }
            balance += entry["balance"] as? Double ?? 0
        }
        return try JSONResponse.object([
            "bots": list,
            "stats": [
                "total_bots": records.count, "running_bots": running, "total_profit": profit, "total_trades": trades,
                "balance": balance,
            ],
        ])
    }

    @Sendable func details(_ request: Request, context: ServerContext) async throws -> Response {
        let record = try await bots.bot(context, needs: .viewer).record
        var entry = try await seedBot(record)
        let fills = try await services.database.orderStore(bot: record.id).recentFills(limit: 20)
        entry["recent_trades"] = try JSONSerialization.jsonObject(with: try JSONResponse.encoder.encode(fills))
        entry["position"] = try JSONSerialization.jsonObject(
            with: try JSONResponse.encoder.encode(try await services.fleet.bots.positions(bot: record.id)))
        let path = (services.fleet.settings.dataDirectory as NSString).appendingPathComponent(
            "logs/live/\(record.id).log")
        entry["logs"] = LogTailReader.lastLines(of: path, count: 50)
        return try JSONResponse.object(["success": true, "bot": entry])
    }

    @Sendable func start(_ request: Request, context: ServerContext) async throws -> Response {
        try await switchBot(context, "start", to: "running") { try await services.fleet.start(id: $0) }
    }

    @Sendable func stop(_ request: Request, context: ServerContext) async throws -> Response {
        try await switchBot(context, "stop", to: "stopped") { try await services.fleet.stop(id: $0) }
    }

    /// Starts or stops a bot the caller may change, audits it, and answers in seed 003's shape.
    func switchBot(
        _ context: ServerContext, _ action: String, to status: String, _ body: (String) async throws -> Void
    ) async throws -> Response {
        let (identity, record) = try await bots.bot(context, needs: .trader)
        try await body(record.id)
        await services.audit(
            identity.userID, identity.username, "bot_\(action)", target: "bot:\(record.id)", address: context.address)
        return try JSONResponse.object(["success": true, "status": status, "message": "bot \(record.id): \(action)"])
    }

    @Sendable func update(_ request: Request, context: ServerContext) async throws -> Response {
        let (identity, record) = try await bots.bot(context, needs: .trader)
        let body = try await request.json(UpdateBody.self, context: context)
        guard var config = try JSONSerialization.jsonObject(with: Data(record.configuration.utf8)) as? [String: Any]
        else {
            throw APIError.conflict(
                "bot '\(record.id)' has a config this route cannot edit; use PUT /api/v1/bots/\(record.id)")
        }
        if let strategy = body.strategy {
            config["strategy"] = ["type": strategy, "params": [String: Any]()]
        }
        if let amount = body.tradeAmount {
            try Self.checkTradeAmount(amount)
            var trading = config["trading"] as? [String: Any] ?? [:]
            trading["trade_amount"] = amount
            trading["sizing"] = trading["sizing"] ?? "fixed"
            config["trading"] = trading
        }
        let data =
            body.strategy == nil && body.tradeAmount == nil
            ? nil : try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys, .prettyPrinted])
        let updated = try await services.fleet.update(id: record.id, name: body.name, config: data, reset: true)
        await services.audit(
            identity.userID, identity.username, "bot_config_update", target: "bot:\(record.id)",
            detail: "seed 003 update",
            address: context.address)
        return try JSONResponse.object(["success": true, "bot": try await seedBot(updated)])
    }

    @Sendable func create(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.trader)
        let body = try await request.json(CreateBody.self, context: context)
        let name = body.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 80 else {
            throw APIError.badRequest("name must be 1 to 80 characters", field: "name")
        }
        let symbol = body.symbol.uppercased()
        guard symbol.count >= 5, symbol.hasSuffix("USDT"), symbol.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            throw APIError.badRequest("symbol '\(body.symbol)' must be a USDT pair such as BTCUSDT", field: "symbol")
        }
        try Self.checkTradeAmount(body.tradeAmount)
        let config: [String: Any] = [
            "description": "seed 003 bot '\(name)' on the SIMULATED market (not real prices)",
            "broker": ["type": "paper", "initial_balance": max(1_000, body.tradeAmount * 10), "commission": 0.001],
            "trading": [
                "symbol": symbol, "sizing": "fixed", "trade_amount": body.tradeAmount, "max_positions": 1,
                "position_size": 1,
            ],
            "data": [
                "data_source": "simulated", "symbol": symbol, "interval": "15m", "lookback_bars": 100,
                "speed": body.speed ?? 1,
            ],
            "strategy": ["type": body.strategy, "params": [String: Any]()],
            "risk_management": ["stop_loss_pct": 2.0, "take_profit_pct": 4.0],
        ]
        let data = try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys, .prettyPrinted])
        let id = try await freeID(for: name)
        let record = try await services.fleet.create(
            id: id, name: "\(name) (simulated)", config: data, owner: identity.userID)
        services.hub.grant(record.id, to: identity.userID)
        await services.audit(
            identity.userID, identity.username, "bot_create", target: "bot:\(record.id)", address: context.address)
        return try JSONResponse.object(["success": true, "bot": try await seedBot(record)], status: .created)
    }

    /// The largest trade amount accepted: its ten-fold starting balance must stay far inside the fixed-point range.
    static let maxTradeAmount = 1_000_000_000.0

    /// - Throws: ``APIError`` 400 at `trade_amount` unless it is a positive amount up to ``maxTradeAmount``.
    static func checkTradeAmount(_ amount: Double) throws {
        guard amount.isFinite, amount > 0, amount <= maxTradeAmount else {
            throw APIError.badRequest(
                "trade_amount must be a positive amount of USDT up to 1000000000", field: "trade_amount")
        }
    }

    /// Seed 003's bot fields from a stored bot and, when it runs, its live status.
    func seedBot(_ record: BotRecord) async throws -> [String: Any] {
        let config = (try? JSONSerialization.jsonObject(with: Data(record.configuration.utf8))) as? [String: Any] ?? [:]
        let trading = config["trading"] as? [String: Any] ?? [:]
        let strategy = (config["strategy"] as? [String: Any])?["type"] as? String ?? "custom"
        var entry: [String: Any] = [
            "id": record.id, "name": record.name, "symbol": trading["symbol"] as? String ?? "",
            "strategy": strategy, "status": record.lifecycle.isActive ? "running" : "stopped",
            "lifecycle": record.lifecycle.rawValue, "trading_state": record.tradingState.rawValue,
        ]
        if let amount = trading["trade_amount"] { entry["trade_amount"] = amount }
        let trades = try await services.database.orderStore(bot: record.id).fillCount()
        entry["trades"] = trades
        if let status = await services.fleet.status(id: record.id) {
            let unrealized = status.positions.reduce(0.0) { $0 + $1.unrealizedPnL.doubleValue }
            entry["profit"] = status.realizedPnL.doubleValue + unrealized
            entry["balance"] = status.broker.equity.doubleValue
            entry["last_update"] = CivilDate.iso8601(milliseconds: status.updatedAt)
        } else {
            let equity = try await services.database.equity.snapshots(bot: record.id, from: nil, limit: 1).last
            let initial = (config["broker"] as? [String: Any])?["initial_balance"] as? Double
            entry["profit"] = equity.map { $0.equity.doubleValue - (initial ?? $0.equity.doubleValue) } ?? 0.0
            entry["balance"] = equity?.equity.doubleValue ?? initial ?? 0
        }
        return entry
    }

    /// `btc-bot`, `btc-bot-2`, … from a display name.
    func freeID(for name: String) async throws -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789")
        var slug = String(name.lowercased().map { allowed.contains($0) ? $0 : "-" })
        while slug.contains("--") { slug = slug.replacingOccurrences(of: "--", with: "-") }
        slug = String(slug.trimmingCharacters(in: CharacterSet(charactersIn: "-")).prefix(32))
        if slug.isEmpty || slug == BotAssembly.portfolioBotID { slug = "bot" }
        var candidate = slug
        var number = 2
        while try await services.fleet.bots.bot(candidate) != nil {
            candidate = "\(slug)-\(number)"
            number += 1
        }
        return candidate
    }
}
