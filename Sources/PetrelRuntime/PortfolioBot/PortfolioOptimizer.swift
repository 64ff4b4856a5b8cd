import PetrelCore

/// Seed 000's `PortfolioOptimizer`: every trade the holdings allow over the enabled pairs, each
/// assessed by the ``RiskAnalyzer``, judged by the ``TradeRule`` and ranked.
///
/// Generation (``routes(holdings:)``), for every asset held with a positive balance:
/// - each enabled pair `BASE/QUOTE`: SELL `BASE → QUOTE` if BASE is held, BUY `QUOTE → BASE` if
///   QUOTE is held;
/// - each two enabled pairs sharing one asset `X`: CONVERT from the other asset of the first pair
///   to the other asset of the second through `X` (hold BTC, pairs BTC/USD and ETH/USD:
///   BTC → ETH = sell BTC/USD, buy ETH/USD). Usually `X` is a common quote asset, but a shared base
///   (USD → EUR via BTC over BTC/USD and BTC/EUR) is a route as well.
///
/// Ranking (``rank(_:)``): score `E × c / (1 + risk)` descending (undefined scores last, ordered by
/// expected return), then pair priority descending, then the route's text ascending, so equal
/// inputs always give the same order.
public struct PortfolioOptimizer: Sendable, Hashable {
    /// What ``findBestTrade(holdings:cache:now:)`` found.
    public struct Selection: Sendable, Hashable {
        /// The best accepted opportunity, if any passed the rule.
        public var best: TradeOpportunity?
        /// Every evaluated opportunity, ranked, each with its rejections (empty when accepted).
        public var opportunities: [TradeOpportunity]
    }

    /// Thresholds, trade size, costs and pairs.
    public let settings: PortfolioBotSettings
    /// The statistics over `settings.volatilityWindow`.
    public let analyzer: RiskAnalyzer

    /// Creates an optimiser for validated settings.
    public init(settings: PortfolioBotSettings) {
        self.settings = settings
        do {
            analyzer = try RiskAnalyzer(window: settings.volatilityWindow)
        } catch {
            preconditionFailure("validated settings hold a valid window: \(error)")
        }
    }

    /// Every route the holdings allow over the enabled pairs (see the type's documentation).
    /// - Parameter holdings: balance per asset; zero and negative balances are not held.
    /// - Returns: direct routes in pair order (sell before buy), then conversions by pair order.
    /// - Complexity: O(p²) for p enabled pairs.
    public func routes(holdings: [String: Money]) -> [TradeRoute] {
        let pairs = settings.enabledPairs
        func held(_ asset: String) -> Bool { holdings[asset]?.isPositive ?? false }
        var routes: [TradeRoute] = []
        for pair in pairs {
            let symbol = pair.symbol
            if held(symbol.base) {
                routes.append(
                    TradeRoute(
                        from: symbol.base, to: symbol.quote, legs: [TradeLeg(symbol: symbol, side: .sell)],
                        priority: pair.priority))
            }
            if held(symbol.quote) {
                routes.append(
                    TradeRoute(
                        from: symbol.quote, to: symbol.base, legs: [TradeLeg(symbol: symbol, side: .buy)],
                        priority: pair.priority))
            }
        }
        for first in pairs {
            for second in pairs where second.symbol != first.symbol {
                let a = first.symbol
                let b = second.symbol
                guard let shared = [a.base, a.quote].first(where: { $0 == b.base || $0 == b.quote }) else { continue }
                let from = a.base == shared ? a.quote : a.base
                let to = b.base == shared ? b.quote : b.base
                guard held(from) else { continue }
                let legs = [
                    TradeLeg(symbol: a, side: a.base == from ? .sell : .buy),
                    TradeLeg(symbol: b, side: b.base == to ? .buy : .sell),
                ]
                routes.append(
                    TradeRoute(from: from, to: to, legs: legs, priority: Swift.min(first.priority, second.priority)))
            }
        }
        return routes
    }

    /// Evaluates every route against the cached quotes and prices at `now`, ranked.
    /// - Parameters:
    ///   - holdings: balance per asset.
    ///   - cache: quotes and price histories.
    ///   - now: Unix ms, for quote freshness.
    /// - Returns: every opportunity, best first.
    /// - Complexity: O(p² + p × w) for p enabled pairs and a window of w.
    public func evaluate(holdings: [String: Money], cache: PriceCache, now: Int64) -> [TradeOpportunity] {
        var markets: [Symbol: Market] = [:]
        for pair in settings.enabledPairs { markets[pair.symbol] = market(pair.symbol, cache: cache, now: now) }
        return Self.rank(routes(holdings: holdings).map { evaluate($0, holdings: holdings, markets: markets) })
    }

    /// Finds the best trade that passes the seed's rule, and reports every opportunity with its verdict.
    /// - Parameters:
    ///   - holdings: balance per asset.
    ///   - cache: quotes and price histories.
    ///   - now: Unix ms.
    /// - Returns: the best accepted opportunity (if any) and all evaluated ones, ranked.
    public func findBestTrade(holdings: [String: Money], cache: PriceCache, now: Int64) -> Selection {
        let ranked = evaluate(holdings: holdings, cache: cache, now: now)
        return Selection(best: ranked.first(where: \.isAccepted), opportunities: ranked)
    }

    /// What one pair contributes to any leg on it this step: its fresh quote and statistics, or why not.
    enum Market {
        case ready(quote: Quote, momentum: Double, volatility: Double)
        case unavailable(TradeRejection)
    }

    /// The fresh quote, momentum and volatility of `symbol` at `now`, computed once per step.
    func market(_ symbol: Symbol, cache: PriceCache, now: Int64) -> Market {
        guard let quote = cache.freshQuote(for: symbol, now: now) else {
            return .unavailable(.noFreshQuote(symbol: symbol))
        }
        let prices = cache.prices(for: symbol)
        guard let returns = analyzer.returns(of: prices) else {
            return .unavailable(.insufficientHistory(symbol: symbol, have: prices.count, need: analyzer.requiredPrices))
        }
        return .ready(
            quote: quote, momentum: RiskAnalyzer.mean(returns),
            volatility: RiskAnalyzer.sampleStandardDeviation(returns))
    }

    /// Evaluates one route: amount, per-leg statistics and costs, the rule, the reasoning.
    func evaluate(_ route: TradeRoute, holdings: [String: Money], markets: [Symbol: Market]) -> TradeOpportunity {
        let holding = holdings[route.from] ?? .zero
        let amount = settings.tradeSize.amount(of: holding)
        var rejections: [TradeRejection] = []
        if amount > holding {
            rejections.append(.insufficientBalance(asset: route.from, needed: amount, available: holding))
        } else if !amount.isPositive {
            rejections.append(.amountTooSmall(asset: route.from, holding: holding))
        }
        var gross = 0.0
        var costs = 0.0
        var sigmas: [Double] = []
        for leg in route.legs {
            switch markets[leg.symbol] ?? .unavailable(.noFreshQuote(symbol: leg.symbol)) {
            case .unavailable(let why):
                rejections.append(why)
            case .ready(let quote, let momentum, let sigma):
                gross += leg.side == .buy ? momentum : -momentum
                costs += Self.halfSpread(quote, side: leg.side) + settings.feeRate
                sigmas.append(sigma)
            }
        }
        var assessment: RiskAssessment?
        if sigmas.count == route.legs.count {
            // One leg keeps σ exactly; two legs add variances (independence assumed; see docs).
            let volatility = sigmas.count == 1 ? sigmas[0] : sigmas.map { $0 * $0 }.reduce(0, +).squareRoot()
            let assessed = RiskAssessment(grossReturn: gross, costs: costs, volatility: volatility)
            rejections += settings.rule.rejections(for: assessed)
            assessment = assessed
        }
        let reasoning = Self.reasoning(
            route: route, amount: amount, assessment: assessment, rejections: rejections, rule: settings.rule)
        return TradeOpportunity(
            route: route, amount: amount, assessment: assessment, rejections: rejections, reasoning: reasoning)
    }

    /// The cost of crossing half the spread: `ask / mid − 1` for a buy, `1 − bid / mid` for a sell.
    static func halfSpread(_ quote: Quote, side: OrderSide) -> Double {
        let mid = quote.mid.doubleValue
        return side == .buy ? quote.ask.doubleValue / mid - 1 : 1 - quote.bid.doubleValue / mid
    }
}
