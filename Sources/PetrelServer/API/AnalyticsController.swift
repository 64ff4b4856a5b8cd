import Foundation
import Hummingbird
import PetrelAnalytics
import PetrelBacktest
import PetrelCore
import PetrelPersistence
import PetrelRuntime

/// Seed 004's analytics of the live and paper bots: `performance` (P&L, win rate, Sharpe, drawdown),
/// `risk` (VaR, exposure, concentration) and `trades` (closed round trips). Each answers for the bots
/// the caller may see, or one bot with `?bot=`, over an optional window `from`/`to` (Unix ms).
/// Money is summed per quote asset, never across them.
struct AnalyticsController: Sendable {
    let services: ServerServices

    func addRoutes(to group: RouterGroup<ServerContext>) {
        group.get("performance", use: performance)
        group.get("risk", use: risk)
        group.get("trades", use: trades)
    }

    // MARK: - Performance

    struct BotPerformance: Encodable {
        var bot: String
        var name: String
        var symbol: String
        var timeframe: String
        var quoteAsset: String
        var lifecycle: String
        var initialBalance: Money
        var equity: Money
        var realizedPnL: Money
        var unrealizedPnL: Money
        var totalPnL: Money
        var totalReturn: Double?
        var pnlToday: Money?
        var dayStart: Int64?
        var trades: Int
        var wins: Int
        var losses: Int
        var winRate: Double?
        var profitFactor: Double?
        var expectancy: Double?
        var sharpe: Double?
        var sortino: Double?
        var maxDrawdown: Double?
        var currentDrawdown: Double?
        var observations: Int
        var from: Int64?
        var to: Int64?
        var truncated: Bool
    }

    struct PerformanceTotals: Encodable {
        var quoteAsset: String
        var bots: Int
        var initialBalance: Money
        var equity: Money
        var realizedPnL: Money
        var unrealizedPnL: Money
        var totalPnL: Money
        var pnlToday: Money
        var trades: Int
        var wins: Int
        var losses: Int
        var winRate: Double?
    }

    struct PerformanceReport: Encodable {
        var bots: [BotPerformance]
        var totals: [PerformanceTotals]
        var unavailable: [Unavailable]
    }

    /// A bot left out because it cannot be replayed now (its data file is gone, a secret is unset).
    struct Unavailable: Encodable {
        var bot: String
        var reason: String
    }

    @Sendable func performance(_ request: Request, context: ServerContext) async throws -> Response {
        let (loaded, unavailable) = try await load(request, context)
        var rows: [BotPerformance] = []
        var totals: [String: PerformanceTotals] = [:]
        for bot in loaded {
            let statistics = TradeStatistics.compute(
                trades: bot.trades.map(TradeOutcome.init))
            let returns = bot.returns
            let equity = bot.equity
            let total = equity - bot.initialBalance
            let today = bot.pnlToday
            rows.append(
                BotPerformance(
                    bot: bot.record.id, name: bot.record.name, symbol: bot.symbol.description,
                    timeframe: bot.timeframe.rawValue, quoteAsset: bot.quoteAsset,
                    lifecycle: bot.record.lifecycle.rawValue, initialBalance: bot.initialBalance, equity: equity,
                    realizedPnL: bot.realizedPnL, unrealizedPnL: bot.unrealizedPnL, totalPnL: total,
                    totalReturn: bot.initialBalance.isPositive
                        ? total.doubleValue / bot.initialBalance.doubleValue : nil,
                    pnlToday: today?.amount, dayStart: today?.dayStart, trades: statistics.count,
                    wins: statistics.winningCount, losses: statistics.losingCount, winRate: statistics.winRate,
                    profitFactor: statistics.profitFactor, expectancy: statistics.expectancy,
                    sharpe: Analytics.sharpeRatio(returns: returns, conventions: bot.conventions),
                    sortino: Analytics.sortinoRatio(returns: returns, conventions: bot.conventions),
                    maxDrawdown: bot.snapshots.isEmpty ? nil : Analytics.maxDrawdown(equity: bot.equityValues),
                    currentDrawdown: bot.snapshots.last?.drawdown, observations: bot.snapshots.count,
                    from: bot.snapshots.first?.timestamp, to: bot.snapshots.last?.timestamp,
                    truncated: bot.truncated))
            var sum =
                totals[bot.quoteAsset]
                ?? PerformanceTotals(
                    quoteAsset: bot.quoteAsset, bots: 0, initialBalance: .zero, equity: .zero, realizedPnL: .zero,
                    unrealizedPnL: .zero, totalPnL: .zero, pnlToday: .zero, trades: 0, wins: 0, losses: 0,
                    winRate: nil)
            sum.bots += 1
            sum.initialBalance += bot.initialBalance
            sum.equity += equity
            sum.realizedPnL += bot.realizedPnL
            sum.unrealizedPnL += bot.unrealizedPnL
            sum.totalPnL += total
            sum.pnlToday += today?.amount ?? .zero
            sum.trades += statistics.count
            sum.wins += statistics.winningCount
            sum.losses += statistics.losingCount
            sum.winRate = sum.trades > 0 ? Double(sum.wins) / Double(sum.trades) : nil
            totals[bot.quoteAsset] = sum
        }
        return try JSONResponse.make(
            PerformanceReport(
                bots: rows, totals: totals.values.sorted { $0.quoteAsset < $1.quoteAsset }, unavailable: unavailable))
    }

    // MARK: - Risk

    struct PositionExposure: Encodable {
        var symbol: String
        var quantity: Quantity
        var averageEntryPrice: Price
        var lastPrice: Price?
        var notional: Double
        /// Of the gross exposure of the bot (or of the quote asset's total).
        var share: Double?
    }

    struct BotRisk: Encodable {
        var bot: String
        var name: String
        var quoteAsset: String
        var equity: Money
        /// VaR and CVaR as fractions of equity per bar (historical, from the equity snapshots).
        var statistics: RiskStatistics
        /// The 95 % one-bar VaR in the quote asset.
        var valueAtRisk95Amount: Double?
        var positions: [PositionExposure]
        var observations: Int
        var truncated: Bool
    }

    struct PortfolioRisk: Encodable {
        var quoteAsset: String
        var bots: Int
        var equity: Money
        /// Exposure and concentration of every visible bot's positions, by asset.
        var statistics: RiskStatistics
        /// Sum of the bots' 95 % VaR amounts: an upper bound (as if the bots moved together).
        var valueAtRisk95Amount: Double?
    }

    struct RiskReport: Encodable {
        var bots: [BotRisk]
        var portfolio: [PortfolioRisk]
        var unavailable: [Unavailable]
    }

    @Sendable func risk(_ request: Request, context: ServerContext) async throws -> Response {
        let (loaded, unavailable) = try await load(request, context)
        var rows: [BotRisk] = []
        var groups: [String: (bots: Int, equity: Money, exposures: [String: Double], var95: Double?)] = [:]
        for bot in loaded {
            let equity = bot.equity
            let exposures = bot.exposures
            let statistics = RiskStatistics.compute(
                returns: bot.returns, positions: exposures, equity: equity.doubleValue)
            let amount = statistics.valueAtRisk95.map { $0 * equity.doubleValue }
            let gross = exposures.reduce(0) { $0 + abs($1.notional) }
            rows.append(
                BotRisk(
                    bot: bot.record.id, name: bot.record.name, quoteAsset: bot.quoteAsset, equity: equity,
                    statistics: statistics, valueAtRisk95Amount: amount,
                    positions: zip(bot.positions, exposures).map { position, exposure in
                        PositionExposure(
                            symbol: position.symbol.description, quantity: position.quantity,
                            averageEntryPrice: position.averageEntryPrice, lastPrice: bot.lastPrice,
                            notional: exposure.notional, share: gross > 0 ? abs(exposure.notional) / gross : nil)
                    }, observations: statistics.observations, truncated: bot.truncated))
            var group = groups[bot.quoteAsset] ?? (0, .zero, [:], nil)
            group.bots += 1
            group.equity += equity
            for exposure in exposures { group.exposures[exposure.asset, default: 0] += exposure.notional }
            if let amount { group.var95 = (group.var95 ?? 0) + amount }
            groups[bot.quoteAsset] = group
        }
        let portfolio = groups.keys.sorted().map { quote in
            let group = groups[quote]!
            let positions = group.exposures.keys.sorted().map { (asset: $0, notional: group.exposures[$0]!) }
            return PortfolioRisk(
                quoteAsset: quote, bots: group.bots, equity: group.equity,
                statistics: RiskStatistics.compute(returns: [], positions: positions, equity: group.equity.doubleValue),
                valueAtRisk95Amount: group.var95)
        }
        return try JSONResponse.make(RiskReport(bots: rows, portfolio: portfolio, unavailable: unavailable))
    }

    // MARK: - Trades

    struct TradeRow: Encodable {
        var bot: String
        var trade: ClosedTrade

        enum Keys: String, CodingKey { case bot }

        func encode(to encoder: any Encoder) throws {
            try trade.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(bot, forKey: .bot)
        }
    }

    struct TradePage: Encodable {
        var trades: [TradeRow]
        var total: Int
        var offset: Int
        var limit: Int
        /// Statistics of every trade matching the filters (not only this page), per quote asset.
        var summary: [String: TradeStatistics]
        var unavailable: [Unavailable]
    }

    @Sendable func trades(_ request: Request, context: ServerContext) async throws -> Response {
        let limit = try request.queryInteger("limit", default: 100, range: 1...1_000)
        let offset = try request.queryInteger("offset", default: 0, range: 0...10_000_000)
        var symbol: Symbol?
        if let text = request.uri.queryParameters.get("symbol") {
            guard let parsed = try? Symbol(parsing: text) else {
                throw APIError.badRequest("symbol must look like BTC/USDT", field: "symbol")
            }
            symbol = parsed
        }
        let (loaded, unavailable) = try await load(request, context)
        var rows: [TradeRow] = []
        var byQuote: [String: [TradeOutcome]] = [:]
        for bot in loaded {
            for trade in bot.trades where symbol == nil || trade.symbol == symbol {
                rows.append(TradeRow(bot: bot.record.id, trade: trade))
                byQuote[bot.quoteAsset, default: []].append(TradeOutcome(trade))
            }
        }
        rows.sort { ($0.trade.exitTime, $0.bot) > ($1.trade.exitTime, $1.bot) }
        let page = Array(rows.dropFirst(offset).prefix(limit))
        var summary: [String: TradeStatistics] = [:]
        for (quote, outcomes) in byQuote {
            summary[quote] = TradeStatistics.compute(trades: outcomes.sorted { $0.exitTime < $1.exitTime })
        }
        return try JSONResponse.make(
            TradePage(
                trades: page, total: rows.count, offset: offset, limit: limit, summary: summary,
                unavailable: unavailable))
    }

    // MARK: - Helpers

    /// The bots asked for (`bot`, or every strategy bot the caller may see) with their data in the window.
    /// With `bot`, that bot or the reason it cannot be analysed (409); without, the bots that can be, and
    /// the others with their reasons (one broken bot does not hide the rest).
    func load(_ request: Request, _ context: ServerContext) async throws -> (
        bots: [BotAnalytics], unavailable: [Unavailable]
    ) {
        let identity = try context.require(.viewer)
        let (from, to) = try Self.window(request)
        var records: [BotRecord]
        if let id = request.uri.queryParameters.get("bot") {
            guard let record = try await services.fleet.bots.bot(String(id)), BotsController.canSee(record, identity)
            else {
                throw APIError.notFound("no bot '\(id)'")
            }
            records = [record]
        } else {
            records = try await services.fleet.bots.allBots().filter { BotsController.canSee($0, identity) }
        }
        let single = request.uri.queryParameters.get("bot") != nil
        records.removeAll { $0.id == BotAssembly.portfolioBotID }
        var loaded: [BotAnalytics] = []
        var unavailable: [Unavailable] = []
        for record in records {
            do {
                loaded.append(try await BotAnalytics.load(record, fleet: services.fleet, from: from, to: to))
            } catch let error as APIError where !single && error.status == .conflict {
                unavailable.append(Unavailable(bot: record.id, reason: error.message))
            } catch let error as FleetError where !single {
                guard case .invalid = error else { throw error }
                unavailable.append(Unavailable(bot: record.id, reason: error.description))
            }
        }
        return (loaded, unavailable)
    }

    /// `from` and `to` in Unix ms, both optional, `from` not after `to`.
    static func window(_ request: Request) throws -> (from: Int64?, to: Int64?) {
        func time(_ name: String) throws -> Int64? {
            guard let text = request.uri.queryParameters.get(name) else { return nil }
            guard let value = Int64(text), value >= 0 else {
                throw APIError.badRequest("\(name) must be a Unix time in milliseconds", field: name)
            }
            return value
        }
        let from = try time("from")
        let to = try time("to")
        if let from, let to, from > to { throw APIError.badRequest("from must not be after to", field: "from") }
        return (from, to)
    }

}
