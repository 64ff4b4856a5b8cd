import Foundation
import Hummingbird
import PetrelCore
import PetrelPersistence
import PetrelRuntime

/// Seed 000's models over REST: the portfolio bot's trading pairs (`pair_symbol`, `priority`,
/// `is_enabled`), its `BotConfig` settings, and the trade history with filters and pages. Anyone may read;
/// the portfolio bot belongs to the administrators, so only they change it. A running `petrel runbot`
/// applies changed settings within seconds; pair changes take effect at its next start.
struct PortfolioController: Sendable {
    let services: ServerServices
    static let bot = PortfolioChannel.botID
    /// Seed 000's priority range (the portfolio config's).
    static let priorities = 0...1_000

    struct PairView: Encodable {
        var pairSymbol: String
        var priority: Int
        var isEnabled: Bool

        init(_ pair: TradingPairSetting) {
            pairSymbol = "\(pair.symbol.base)-\(pair.symbol.quote)"
            priority = pair.priority
            isEnabled = pair.isEnabled
        }
    }

    struct PairBody: Decodable {
        var pairSymbol: String?
        var priority: Int?
        var isEnabled: Bool?

        enum CodingKeys: String, CodingKey {
            case pairSymbol = "pair_symbol"
            case priority
            case isEnabled = "is_enabled"
        }
    }

    func addRoutes(to group: RouterGroup<ServerContext>) {
        group.get("trading-pairs", use: pairs)
        group.post("trading-pairs", use: addPair)
        group.put("trading-pairs/:pair", use: changePair)
        group.delete("trading-pairs/:pair", use: removePair)
        group.get("bot-config", use: config)
        group.put("bot-config", use: changeConfig)
        group.get("trade-history", use: history)
    }

    @Sendable func pairs(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try context.require(.viewer)
        let pairs = try await services.database.tradingPairs.pairs(bot: Self.bot)
        return try JSONResponse.make(BotsController.Items(items: pairs.map(PairView.init)))
    }

    @Sendable func addPair(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.admin)
        let body = try await request.json(PairBody.self, context: context)
        guard let text = body.pairSymbol else {
            throw APIError.badRequest("pair_symbol is required", field: "pair_symbol")
        }
        let symbol = try Self.symbol(text)
        let priority = try Self.priority(body.priority ?? 100)
        if try await services.database.tradingPairs.pairs(bot: Self.bot).contains(where: { $0.symbol == symbol }) {
            throw APIError.conflict("\(text) is already a trading pair; change it with PUT", field: "pair_symbol")
        }
        let pair = TradingPairSetting(symbol: symbol, priority: priority, isEnabled: body.isEnabled ?? true)
        try await services.database.tradingPairs.upsert(pair, bot: Self.bot)
        await services.audit(
            identity.userID, identity.username, "trading_pair_add", target: "pair:\(symbol)", address: context.address)
        return try JSONResponse.make(PairView(pair), status: .created)
    }

    @Sendable func changePair(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.admin)
        let symbol = try Self.symbol(try context.parameters.require("pair"))
        let body = try await request.json(PairBody.self, context: context)
        guard
            var pair = try await services.database.tradingPairs.pairs(bot: Self.bot).first(where: {
                $0.symbol == symbol
            })
        else { throw APIError.notFound("no trading pair \(symbol.base)-\(symbol.quote)") }
        if let priority = body.priority { pair.priority = try Self.priority(priority) }
        if let enabled = body.isEnabled { pair.isEnabled = enabled }
        try await services.database.tradingPairs.upsert(pair, bot: Self.bot)
        await services.audit(
            identity.userID, identity.username, "trading_pair_update", target: "pair:\(symbol)",
            detail: "priority \(pair.priority), \(pair.isEnabled ? "enabled" : "disabled")", address: context.address)
        return try JSONResponse.make(PairView(pair))
    }

    @Sendable func removePair(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.admin)
        let symbol = try Self.symbol(try context.parameters.require("pair"))
        try await services.database.tradingPairs.remove(symbol: symbol, bot: Self.bot)
        await services.audit(
            identity.userID, identity.username, "trading_pair_remove", target: "pair:\(symbol)",
            address: context.address)
        return Response(status: .noContent)
    }

    @Sendable func config(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try context.require(.viewer)
        var status = try await services.portfolio.status()
        status["recent_trades"] = nil
        return try JSONResponse.object(status)
    }

    /// Seed 000's `BotConfig` fields, validated exactly like the WebSocket's `update_config`.
    @Sendable func changeConfig(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.admin)
        let fields = try await request.json([String: JSONScalar].self, context: context)
        var status: [String: Any]
        do {
            status = try await services.portfolio.update(fields)
        } catch let problem as WebSocketProblem {
            let message = problem.description.replacingOccurrences(of: "update_config: ", with: "")
            let field = fields.keys.sorted().first { message.contains($0) }
            throw APIError.badRequest(message, field: field)
        }
        status["recent_trades"] = nil
        await services.audit(
            identity.userID, identity.username, "bot_config_update", target: "bot:\(Self.bot)",
            detail: fields.keys.sorted().joined(separator: ","), address: context.address)
        return try JSONResponse.object(status)
    }

    /// `?status=EXECUTED|FAILED|PENDING&bot=&pair=BTC-USD|BTC&from=&to=&page=1&page_size=50`.
    @Sendable func history(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.viewer)
        let query = request.uri.queryParameters
        var filter = TradeHistoryFilter()
        if let text = query.get("status") {
            guard let status = TradeStatus(rawValue: text.uppercased()) else {
                throw APIError.badRequest(
                    "status '\(text)' is not allowed; expected one of EXECUTED, FAILED, PENDING", field: "status")
            }
            filter.status = status
        }
        filter.bot = query.get("bot")
        if let pair = query.get("pair") {
            guard (1...30).contains(pair.count), pair.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                throw APIError.badRequest("pair must look like BTC-USD or BTC", field: "pair")
            }
            filter.pair = pair
        }
        filter.from = try Self.time(query.get("from"), "from")
        filter.to = try Self.time(query.get("to"), "to")
        let page = try request.queryInteger("page", default: 1, range: 1...1_000_000)
        let size = try request.queryInteger("page_size", default: 50, range: 1...500)
        let result = try await services.database.searchTradeHistory(filter, offset: (page - 1) * size, limit: size)
        let visible =
            identity.role == .admin
            ? nil
            : Set(
                try await services.fleet.bots.allBots().filter { $0.ownerID == identity.userID }.map(\.id) + [Self.bot])
        var rows: [Any] = []
        for row in result.rows where visible?.contains(row.bot) ?? true {
            var object =
                (try JSONSerialization.jsonObject(with: try JSONEncoder().encode(row.record)) as? [String: Any]) ?? [:]
            object["bot"] = row.bot
            rows.append(object)
        }
        return try JSONResponse.object([
            "items": rows, "page": page, "page_size": size, "total": result.total,
            "pages": (result.total + size - 1) / size,
        ])
    }

    static func symbol(_ text: String) throws -> Symbol {
        guard let symbol = try? Symbol(parsing: text), symbol.kind == .spot else {
            throw APIError.badRequest(
                "'\(text)' is not a spot trading pair; expected e.g. BTC-USD", field: "pair_symbol")
        }
        return symbol
    }

    static func priority(_ value: Int) throws -> Int {
        guard priorities.contains(value) else {
            throw APIError.badRequest("priority \(value) is out of range (0 to 1000)", field: "priority")
        }
        return value
    }

    static func time(_ text: String?, _ field: String) throws -> Int64? {
        guard let text else { return nil }
        if let value = Int64(text), value >= 0 { return value }
        if let value = CivilDate.parseTimestamp(text) { return value }
        throw APIError.badRequest("\(field) must be Unix milliseconds or a date like 2026-02-14", field: field)
    }

}
