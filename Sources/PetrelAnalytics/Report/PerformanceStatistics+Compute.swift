extension PerformanceStatistics {
    /// Computes the statistics of a timestamped equity curve and its closed trades.
    /// - Parameters:
    ///   - equity: one point per bar (or per evenly spaced sample), ascending timestamps.
    ///   - trades: closed trades in exit order.
    ///   - timeInMarket: time with an open position; when `nil`, derived from the trades'
    ///     holding intervals over the curve's time span.
    ///   - benchmark: first and last close of the traded market, for buy-and-hold.
    ///   - feesPaid: total fees of the run; when `nil`, the sum of the trades' fees.
    ///   - conventions: annualisation factor, risk-free rate, deviation estimator.
    /// - Returns: the statistics; see ``PerformanceStatistics`` for what is `nil` when.
    /// - Complexity: O(n log n) for the VaR sort, O(n) otherwise; a few arrays of n doubles.
    public static func compute(
        equity: [EquityPoint],
        trades: [TradeOutcome] = [],
        timeInMarket: TimeInMarket? = nil,
        benchmark: Benchmark? = nil,
        feesPaid: Double? = nil,
        conventions: AnalyticsConventions
    ) -> PerformanceStatistics {
        var values: [Double] = []
        values.reserveCapacity(equity.count)
        for point in equity { values.append(point.equity) }
        var statistics = compute(
            values: values, timestamp: { equity[$0].timestamp }, hasTimestamps: true, trades: trades,
            benchmark: benchmark, feesPaid: feesPaid, conventions: conventions)
        if let timeInMarket {
            statistics.exposureTime = timeInMarket.fraction
        } else if let first = equity.first, let last = equity.last, !trades.isEmpty {
            statistics.exposureTime =
                TimeInMarket.fromTrades(trades, start: first.timestamp, end: last.timestamp)
                .fraction
        }
        return statistics
    }

    /// Computes the statistics of an equity curve given as parallel arrays of timestamps and
    /// values, without building an array of ``EquityPoint`` (the backtester's million-bar path).
    /// - Parameters:
    ///   - equityValues: equity per bar, in time order.
    ///   - timestamps: Unix ms of each value; same count as `equityValues`, ascending.
    ///   - trades: closed trades in exit order.
    ///   - timeInMarket: time with an open position; `nil` leaves ``exposureTime`` `nil`.
    ///   - benchmark: first and last close of the traded market, for buy-and-hold.
    ///   - feesPaid: total fees of the run; when `nil`, the sum of the trades' fees.
    ///   - conventions: annualisation factor, risk-free rate, deviation estimator.
    /// - Returns: the statistics, with times.
    /// - Complexity: O(n log n) for the VaR sort, O(n) otherwise.
    public static func compute(
        equityValues: [Double],
        timestamps: [Int64],
        trades: [TradeOutcome] = [],
        timeInMarket: TimeInMarket? = nil,
        benchmark: Benchmark? = nil,
        feesPaid: Double? = nil,
        conventions: AnalyticsConventions
    ) -> PerformanceStatistics {
        precondition(equityValues.count == timestamps.count, "one timestamp per equity value")
        var statistics = compute(
            values: equityValues, timestamp: { timestamps[$0] }, hasTimestamps: true, trades: trades,
            benchmark: benchmark, feesPaid: feesPaid, conventions: conventions)
        statistics.exposureTime = timeInMarket?.fraction
        return statistics
    }

    /// Computes the statistics of an equity curve given as plain values (no timestamps: the
    /// time fields and drawdown times are `nil`).
    /// - Parameters:
    ///   - equityValues: equity per period, in time order.
    ///   - trades: closed trades in exit order.
    ///   - timeInMarket: time with an open position; `nil` leaves ``exposureTime`` `nil`.
    ///   - benchmark: first and last close of the traded market, for buy-and-hold.
    ///   - feesPaid: total fees of the run; when `nil`, the sum of the trades' fees.
    ///   - conventions: annualisation factor, risk-free rate, deviation estimator.
    /// - Returns: the statistics.
    /// - Complexity: O(n log n) for the VaR sort, O(n) otherwise.
    public static func compute(
        equityValues: [Double],
        trades: [TradeOutcome] = [],
        timeInMarket: TimeInMarket? = nil,
        benchmark: Benchmark? = nil,
        feesPaid: Double? = nil,
        conventions: AnalyticsConventions
    ) -> PerformanceStatistics {
        var statistics = compute(
            values: equityValues, timestamp: { _ in 0 }, hasTimestamps: false, trades: trades,
            benchmark: benchmark, feesPaid: feesPaid, conventions: conventions)
        statistics.exposureTime = timeInMarket?.fraction
        return statistics
    }

    /// The shared computation; `timestamp(i)` is only called when `hasTimestamps`.
    private static func compute(
        values: [Double],
        timestamp: (Int) -> Int64,
        hasTimestamps: Bool,
        trades: [TradeOutcome],
        benchmark: Benchmark?,
        feesPaid: Double?,
        conventions: AnalyticsConventions
    ) -> PerformanceStatistics {
        var s = PerformanceStatistics(conventions: conventions)
        s.trades = TradeStatistics.compute(trades: trades, estimator: conventions.deviationEstimator)
        s.feesPaid = feesPaid.flatMap(Analytics.finite) ?? s.trades.feesPaid
        s.buyAndHoldReturn = benchmark?.change
        guard let first = values.first, let last = values.last else { return s }

        s.pointCount = values.count
        s.periods = values.count - 1
        if hasTimestamps {
            s.startTime = timestamp(0)
            s.endTime = timestamp(values.count - 1)
        }
        s.startEquity = Analytics.finite(first)
        s.finalEquity = Analytics.finite(last)
        s.totalReturn = Analytics.totalReturn(equity: values)
        s.cagr = Analytics.cagr(
            startEquity: first, endEquity: last, periods: s.periods, periodsPerYear: conventions.periodsPerYear)

        var deepest: DrawdownEpisode?
        var longest: DrawdownEpisode?
        Analytics.forEachDrawdown(values) { episode in
            if episode.depth > (deepest?.depth ?? 0) { deepest = episode }
            if episode.durationBars > (longest?.durationBars ?? -1) { longest = episode }
        }
        s.maxDrawdown = Analytics.finite(deepest?.depth ?? 0)
        s.maxDrawdownEpisode = hasTimestamps ? deepest?.timed(timestamp) : deepest
        s.longestDrawdownEpisode = hasTimestamps ? longest?.timed(timestamp) : longest
        s.calmarRatio = Analytics.calmarRatio(cagr: s.cagr, maxDrawdown: s.maxDrawdown ?? 0)

        var returns = Analytics.simpleReturns(equity: values)
        s.annualVolatility = Analytics.annualVolatility(returns: returns, conventions: conventions)
        s.sharpeRatio = Analytics.sharpeRatio(returns: returns, conventions: conventions)
        s.sortinoRatio = Analytics.sortinoRatio(returns: returns, conventions: conventions)

        // The 95 % tail also covers 99 %: one selection instead of sorting every return.
        let (tail, count, maximum) = Analytics.lowerTail(consuming: &returns, confidence: 0.95)
        s.valueAtRisk95 = Analytics.valueAtRisk(tail: tail, count: count, confidence: 0.95)
        s.conditionalValueAtRisk95 = Analytics.conditionalValueAtRisk(tail: tail, count: count, confidence: 0.95)
        s.valueAtRisk99 = Analytics.valueAtRisk(tail: tail, count: count, confidence: 0.99)
        s.conditionalValueAtRisk99 = Analytics.conditionalValueAtRisk(tail: tail, count: count, confidence: 0.99)
        s.worstPeriodReturn = tail.first.flatMap(Analytics.finite)
        s.bestPeriodReturn = maximum.flatMap(Analytics.finite)
        return s
    }
}
