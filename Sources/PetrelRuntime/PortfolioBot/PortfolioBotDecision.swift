import PetrelCore

/// Seed 000's bot iteration without the I/O: feed the latest quotes and holdings, get back the
/// trade to make (or HOLD) and the trade-history records to write.
///
/// A value owned by one bot task: it holds the ``PriceCache`` (quotes and price histories), so
/// each ``decide(holdings:quotes:now:)`` both records the new prices and decides. Nothing here
/// reads a clock, sleeps or touches the network; the caller passes `now` and performs the result:
/// append ``Decision/records`` to the ``TradeHistoryStore`` (PENDING: intent first), execute the
/// legs when ``Decision/shouldExecute``, then ``TradeHistoryStore/settle(id:status:keep:)`` with
/// EXECUTED or FAILED, which also applies retention.
public struct PortfolioBotDecision: Sendable {
    /// The outcome of one step.
    public struct Decision: Sendable, Hashable {
        /// Trade or hold.
        public enum Action: Sendable, Hashable {
            /// Execute this opportunity (unless dry-running).
            case trade(TradeOpportunity)
            /// Do nothing; the reasoning names the best candidate and why it failed.
            case hold(reasoning: String)
        }

        /// What to do.
        public var action: Action
        /// Every opportunity evaluated this step, ranked, with rejections (for the dashboard).
        public var opportunities: [TradeOpportunity]
        /// Trade-history rows to append: the chosen trade as PENDING; nothing on HOLD.
        public var records: [TradeHistoryRecord]
        /// Whether the step ran in dry-run mode (records are written, nothing is executed).
        public var isDryRun: Bool
        /// The step's `now`, Unix ms.
        public var decidedAt: Int64

        /// The chosen trade, if any.
        public var trade: TradeOpportunity? {
            if case .trade(let opportunity) = action { return opportunity }
            return nil
        }

        /// Whether the caller should send the trade's legs now.
        public var shouldExecute: Bool { trade != nil && !isDryRun }

        /// BUY, SELL, CONVERT or HOLD.
        public var decision: TradeDecision { trade?.decision ?? .hold }

        /// Why: the trade's reasoning, or the hold's.
        public var reasoning: String {
            switch action {
            case .trade(let opportunity): return opportunity.reasoning
            case .hold(let reasoning): return reasoning
            }
        }
    }

    /// The validated settings in force.
    public private(set) var settings: PortfolioBotSettings
    /// Seed 000's `--dry-run`: decide and record (PENDING) but never execute.
    public var isDryRun: Bool
    /// Quotes and price histories seen so far.
    public private(set) var cache: PriceCache
    private var optimizer: PortfolioOptimizer

    /// Creates the step for a bot.
    /// - Parameters:
    ///   - settings: validated settings.
    ///   - dryRun: `--dry-run`; `false` by default.
    public init(settings: PortfolioBotSettings, dryRun: Bool = false) {
        self.settings = settings
        isDryRun = dryRun
        optimizer = PortfolioOptimizer(settings: settings)
        do {
            cache = try PriceCache(ttlSeconds: settings.cacheTTLSeconds, historyCapacity: settings.volatilityWindow + 1)
        } catch {
            preconditionFailure("validated settings hold a valid TTL: \(error)")
        }
    }

    /// Applies new settings (`update_config`), keeping the newest prices so no warm-up is lost.
    public mutating func update(settings: PortfolioBotSettings) {
        do {
            try cache.reconfigure(ttlSeconds: settings.cacheTTLSeconds, historyCapacity: settings.volatilityWindow + 1)
        } catch {
            preconditionFailure("validated settings hold a valid TTL: \(error)")
        }
        self.settings = settings
        optimizer = PortfolioOptimizer(settings: settings)
    }

    /// The enabled pairs without a fresh quote at `now`: what the caller should fetch before the
    /// next step (the seed's cache miss).
    public func symbolsNeedingQuotes(now: Int64) -> [Symbol] {
        settings.enabledPairs.map(\.symbol).filter { !cache.isFresh($0, now: now) }
    }

    /// Records quotes without deciding: a step whose holdings could not be read still extends the
    /// price histories, so the next step's statistics skip no sample.
    /// - Parameters:
    ///   - quotes: quotes received since the last step; invalid, duplicate or older ones are ignored.
    ///   - now: the bot clock, Unix ms.
    /// - Complexity: O(q) for q quotes.
    public mutating func record(_ quotes: [Quote], now: Int64) {
        for quote in quotes { cache.update(quote, now: now) }
    }

    /// One bot iteration: record the quotes, generate and rank every trade, pick the best that
    /// passes the rule.
    /// - Parameters:
    ///   - holdings: balance per asset (free balances; non-positive ones count as not held).
    ///   - quotes: quotes received since the last step; invalid, duplicate or older ones are ignored.
    ///   - now: the bot clock, Unix ms.
    /// - Returns: the decision, its opportunities and the records to write.
    /// - Complexity: O(q + p² + p × w) for q quotes, p enabled pairs and a window of w.
    public mutating func decide(holdings: [String: Money], quotes: [Quote], now: Int64) -> Decision {
        record(quotes, now: now)
        let selection = optimizer.findBestTrade(holdings: holdings, cache: cache, now: now)
        guard let best = selection.best else {
            return Decision(
                action: .hold(reasoning: holdReasoning(selection.opportunities, holdings: holdings)),
                opportunities: selection.opportunities, records: [], isDryRun: isDryRun, decidedAt: now)
        }
        let reasoning = isDryRun ? "[dry run] " + best.reasoning : best.reasoning
        guard let record = TradeHistoryRecord(opportunity: best, status: .pending, createdAt: now, reasoning: reasoning)
        else { preconditionFailure("an accepted opportunity always has an assessment with a defined risk") }
        return Decision(
            action: .trade(best), opportunities: selection.opportunities, records: [record], isDryRun: isDryRun,
            decidedAt: now)
    }

    private func holdReasoning(_ ranked: [TradeOpportunity], holdings: [String: Money]) -> String {
        if let best = ranked.first { return "HOLD: no trade meets the rule; best candidate: " + best.reasoning }
        if settings.enabledPairs.isEmpty { return "HOLD: no enabled trading pairs" }
        return "HOLD: no asset held that an enabled pair trades"
    }
}
