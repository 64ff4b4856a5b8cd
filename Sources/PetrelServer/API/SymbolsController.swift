import Foundation
import Hummingbird
import PetrelAnalytics
import PetrelBacktest
import PetrelCore
import PetrelPersistence
import PetrelRuntime

/// Seed 004's symbol management, `/api/v1/symbols`: the tracked instruments, discovery through the venues'
/// instrument directories, create, update, delete, enable, disable, batch enable/disable, the per-symbol
/// risk multiplier and per-symbol performance. Everyone reads; administrators change.
///
/// A disabled symbol stops bots on its pair from starting and pauses the entries of those running; the
/// risk multiplier scales the position sizes of bots that start on the pair without stored state.
struct SymbolsController: Sendable {
    let services: ServerServices

    static let multiplierRange = 0.1...5.0

    struct SymbolView: Encodable {
        var id: Int64
        var venue: String
        var symbol: String
        var base: String
        var quote: String
        var kind: String
        var enabled: Bool
        var riskMultiplier: Double
        var notes: String
        var createdAt: Int64
        var updatedAt: Int64

        init(_ record: SymbolRecord) {
            id = record.id
            venue = record.venue
            symbol = record.symbol
            base = record.base
            quote = record.quote
            kind = record.kind
            enabled = record.isEnabled
            riskMultiplier = record.riskMultiplier
            notes = record.notes
            createdAt = record.createdAt
            updatedAt = record.updatedAt
        }
    }

    struct SymbolList: Encodable {
        var symbols: [SymbolView]
    }

    struct Changed: Encodable {
        var symbol: SymbolView
        /// Bots whose entries were paused because the symbol was disabled.
        var pausedBots: [String]
    }

    struct BatchResult: Encodable {
        var updated: Int
        var symbols: [SymbolView]
        var pausedBots: [String]
    }

    struct Discovered: Encodable {
        var symbol: String
        var base: String
        var quote: String
        var kind: String
        var lastPrice: Price?
        var volume24h: Double?
        var tracked: Bool

        enum CodingKeys: String, CodingKey {
            case symbol, base, quote, kind, lastPrice, tracked
            case volume24h = "volume_24h"
        }
    }

    struct Discovery: Encodable {
        var venue: String
        var simulated: Bool
        var symbols: [Discovered]
    }

    struct Performance: Encodable {
        var symbol: String
        var bots: [String]
        var trades: Int
        var wins: Int
        var losses: Int
        var winRate: Double?
        var netPnL: Double?
        var profitFactor: Double?
        var averageReturn: Double?
    }

    func addRoutes(to group: RouterGroup<ServerContext>) {
        group.get(use: list)
        group.post(use: create)
        group.get("discover", use: discover)
        group.post("batch", use: batch)
        group.put(":id", use: update)
        group.get(":id", use: detail)
        group.delete(":id", use: delete)
        group.post(":id/enable", use: enable)
        group.post(":id/disable", use: disable)
        group.get(":id/performance", use: performance)
    }

    @Sendable func list(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try context.require(.viewer)
        var enabled: Bool?
        if let text = request.uri.queryParameters.get("enabled") {
            guard text == "true" || text == "false" else {
                throw APIError.badRequest("enabled must be true or false", field: "enabled")
            }
            enabled = text == "true"
        }
        let venue = request.uri.queryParameters.get("venue")
        var symbols = try await services.database.symbols.symbols(enabled: enabled, venue: venue)
        if let query = request.uri.queryParameters.get("q"), !query.isEmpty {
            let needle = query.uppercased()
            symbols = symbols.filter { $0.symbol.uppercased().contains(needle) || $0.base.uppercased() == needle }
        }
        return try JSONResponse.make(SymbolList(symbols: symbols.map(SymbolView.init)))
    }

    @Sendable func detail(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try context.require(.viewer)
        return try JSONResponse.make(SymbolView(try await symbol(context)))
    }

    /// The venue's live instruments (default `simulated`), filtered by `quote`, `kind` and `min_volume`
    /// (24-hour traded value in the quote asset), largest volume first.
    @Sendable func discover(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try context.require(.viewer)
        let name = request.uri.queryParameters.get("venue") ?? "simulated"
        let directory = try services.directory(name)
        var kind: ListedInstrument.Kind?
        if let text = request.uri.queryParameters.get("kind") {
            guard let value = ListedInstrument.Kind(rawValue: String(text)) else {
                throw APIError.badRequest("kind must be spot or swap", field: "kind")
            }
            kind = value
        }
        let quote = request.uri.queryParameters.get("quote").map { $0.uppercased() }
        var minimum: Double?
        if let text = request.uri.queryParameters.get("min_volume") {
            guard let value = Double(text), value >= 0, value.isFinite else {
                throw APIError.badRequest("min_volume must be a number of at least 0", field: "min_volume")
            }
            minimum = value
        }
        let listed = try await services.instruments(of: directory)
        let tracked = Set(try await services.database.symbols.symbols(venue: name).map(\.symbol))
        let found =
            listed
            .filter { instrument in
                (kind == nil || instrument.kind == kind) && (quote == nil || instrument.quote == quote)
                    && (minimum == nil || (instrument.volume24h ?? 0) >= minimum!)
            }
            .sorted { ($0.volume24h ?? 0, $1.symbol) > ($1.volume24h ?? 0, $0.symbol) }
            .map {
                Discovered(
                    symbol: $0.symbol, base: $0.base, quote: $0.quote, kind: $0.kind.rawValue, lastPrice: $0.lastPrice,
                    volume24h: $0.volume24h, tracked: tracked.contains($0.symbol))
            }
        return try JSONResponse.make(Discovery(venue: name, simulated: directory.isSimulated, symbols: found))
    }

    /// Tracks a symbol the venue lists: `{"venue", "symbol", "kind"?, "enabled"?, "risk_multiplier"?, "notes"?}`
    /// (`kind`, when given, must be the venue's).
    @Sendable func create(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.admin)
        let members = try RawJSONMembers.split(try await request.bytes(context: context))
        try JSONFields.allow(members, ["venue", "symbol", "kind", "enabled", "risk_multiplier", "notes"])
        let field = JSONFields(members)
        let venue = try field.string("venue", maxLength: 40) ?? "simulated"
        let directory = try services.directory(venue)
        guard let name = try field.string("symbol", maxLength: 40), !name.isEmpty else {
            throw APIError.badRequest("symbol is required (an id from GET /api/v1/symbols/discover)", field: "symbol")
        }
        let listed = try await services.instruments(of: directory)
        guard let instrument = listed.first(where: { $0.symbol == name }) else {
            throw APIError.badRequest(
                "\(venue) does not list '\(name)'; see GET /api/v1/symbols/discover", field: "symbol")
        }
        if let kind = try field.string("kind", maxLength: 10), kind != instrument.kind.rawValue {
            throw APIError.badRequest(
                "kind '\(kind)' does not match \(venue)'s \(name), which is \(instrument.kind.rawValue) (allowed: spot, swap)",
                field: "kind")
        }
        let now = services.clock.now()
        let record = try await services.database.symbols.create(
            SymbolRecord(
                venue: venue, symbol: instrument.symbol, base: instrument.base, quote: instrument.quote,
                kind: instrument.kind.rawValue, isEnabled: try field.bool("enabled") ?? true,
                riskMultiplier: try field.number("risk_multiplier", in: Self.multiplierRange) ?? 1,
                notes: try field.string("notes", maxLength: 500) ?? "", createdAt: now))
        await services.audit(
            identity.userID, identity.username, "symbol_create", target: "symbol:\(record.id)",
            detail: "\(venue) \(record.symbol)", address: context.address)
        return try JSONResponse.make(SymbolView(record), status: .created)
    }

    /// Changes `enabled`, `risk_multiplier` or `notes`.
    @Sendable func update(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.admin)
        var record = try await symbol(context)
        let members = try RawJSONMembers.split(try await request.bytes(context: context))
        try JSONFields.allow(members, ["enabled", "risk_multiplier", "notes"])
        let field = JSONFields(members)
        let wasEnabled = record.isEnabled
        if let enabled = try field.bool("enabled") { record.isEnabled = enabled }
        if let multiplier = try field.number("risk_multiplier", in: Self.multiplierRange) {
            record.riskMultiplier = multiplier
        }
        if let notes = try field.string("notes", maxLength: 500) { record.notes = notes }
        record.updatedAt = services.clock.now()
        try await services.database.symbols.update(record)
        let paused = wasEnabled && !record.isEnabled ? await pauseBots(on: [record]) : []
        await services.audit(
            identity.userID, identity.username, "symbol_update", target: "symbol:\(record.id)",
            detail: members.keys.sorted().joined(separator: ","), address: context.address)
        return try JSONResponse.make(Changed(symbol: SymbolView(record), pausedBots: paused))
    }

    @Sendable func delete(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.admin)
        let record = try await symbol(context)
        try await services.database.symbols.delete(id: record.id)
        await services.audit(
            identity.userID, identity.username, "symbol_delete", target: "symbol:\(record.id)",
            detail: "\(record.venue) \(record.symbol)", address: context.address)
        return Response(status: .noContent)
    }

    @Sendable func enable(_ request: Request, context: ServerContext) async throws -> Response {
        try await setEnabled(true, context)
    }

    @Sendable func disable(_ request: Request, context: ServerContext) async throws -> Response {
        try await setEnabled(false, context)
    }

    /// `{"ids": [...], "action": "enable" | "disable"}`: all or nothing.
    @Sendable func batch(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.admin)
        let members = try RawJSONMembers.split(try await request.bytes(context: context))
        try JSONFields.allow(members, ["ids", "action"])
        guard let raw = members["ids"], let ids = try? JSONDecoder().decode([Int64].self, from: raw), !ids.isEmpty,
            ids.count <= 1_000
        else {
            throw APIError.badRequest("ids must be an array of 1 to 1000 symbol ids", field: "ids")
        }
        let action = try JSONFields(members).string("action", maxLength: 10)
        guard action == "enable" || action == "disable" else {
            throw APIError.badRequest("action must be enable or disable", field: "action")
        }
        let enabled = action == "enable"
        let before = Dictionary(
            try await services.database.symbols.symbols().map { ($0.id, $0.isEnabled) }, uniquingKeysWith: { a, _ in a }
        )
        let changed = try await services.database.symbols.setEnabled(enabled, ids: ids, at: services.clock.now())
        let paused = enabled ? [] : await pauseBots(on: changed.filter { before[$0.id] == true })
        await services.audit(
            identity.userID, identity.username, "symbol_batch_\(action ?? "")",
            detail: ids.map(String.init).joined(separator: ","), address: context.address)
        return try JSONResponse.make(
            BatchResult(updated: changed.count, symbols: changed.map(SymbolView.init), pausedBots: paused))
    }

    /// Closed trades on the symbol's pair by the bots the caller may see.
    @Sendable func performance(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.require(.viewer)
        let record = try await symbol(context)
        var outcomes: [TradeOutcome] = []
        var bots: [String] = []
        for bot in try await services.fleet.bots.allBots()
        where BotsController.canSee(bot, identity) && bot.id != BotAssembly.portfolioBotID {
            // A bot that cannot be replayed now (its data file is gone, a secret unset) has no trades to add.
            guard let analytics = try? await BotAnalytics.load(bot, fleet: services.fleet, from: nil, to: nil) else {
                continue
            }
            guard analytics.symbol.base == record.base, analytics.symbol.quote == record.quote else { continue }
            bots.append(bot.id)
            outcomes += analytics.trades.map(TradeOutcome.init)
        }
        outcomes.sort { $0.exitTime < $1.exitTime }
        let statistics = TradeStatistics.compute(trades: outcomes)
        return try JSONResponse.make(
            Performance(
                symbol: record.symbol, bots: bots, trades: statistics.count, wins: statistics.winningCount,
                losses: statistics.losingCount, winRate: statistics.winRate, netPnL: statistics.netProfit,
                profitFactor: statistics.profitFactor, averageReturn: statistics.averageReturn))
    }

    // MARK: - Helpers

    func setEnabled(_ enabled: Bool, _ context: ServerContext) async throws -> Response {
        let identity = try context.require(.admin)
        let record = try await symbol(context)
        let changed = try await services.database.symbols.setEnabled(
            enabled, ids: [record.id], at: services.clock.now())
        let paused = !enabled && record.isEnabled ? await pauseBots(on: changed) : []
        await services.audit(
            identity.userID, identity.username, enabled ? "symbol_enable" : "symbol_disable",
            target: "symbol:\(record.id)", address: context.address)
        return try JSONResponse.make(Changed(symbol: SymbolView(changed[0]), pausedBots: paused))
    }

    /// Pauses the entries of the running bots on the pairs of disabled spot symbols.
    func pauseBots(on records: [SymbolRecord]) async -> [String] {
        var paused: [String] = []
        for record in records where record.kind == ListedInstrument.Kind.spot.rawValue {
            guard let pair = try? Symbol(parsing: "\(record.base)/\(record.quote)") else { continue }
            paused += await services.fleet.pauseBots(trading: pair)
        }
        return paused
    }

    func symbol(_ context: ServerContext) async throws -> SymbolRecord {
        let text = try context.parameters.require("id")
        guard let id = Int64(text), let record = try await services.database.symbols.symbol(id: id) else {
            throw APIError.notFound("no symbol '\(text)'")
        }
        return record
    }
}
