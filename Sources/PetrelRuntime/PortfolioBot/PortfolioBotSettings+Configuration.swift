import PetrelCore

extension PortfolioBotSettings {
    /// The decision settings of a parsed portfolio-bot file (`"bot_type": "portfolio"`).
    ///
    /// `trade_history_retention` becomes ``historyKeep``; `check_interval_seconds` stays with the bot
    /// task (``PortfolioBotRunner``). The file has no `fee_rate`, so the commission the bot expects
    /// is passed in. `trade_size_percentage` is read as a `Double` by the parser and becomes the
    /// exact fraction nearest to it (0.1 is exactly 0.10000000).
    /// - Parameters:
    ///   - configuration: the validated file.
    ///   - feeRate: commission per leg the bot expects, `0 ≤ fee < 0.1`; 0 by default.
    /// - Throws: ``PortfolioBotError`` naming the first value the decision core refuses (the file's
    ///   own checks already cover most of them).
    public init(configuration: PortfolioBotConfiguration, feeRate: Double = 0) throws(PortfolioBotError) {
        let size: TradeSize
        switch configuration.tradeSize {
        case .amount(let amount):
            size = .fixedAmount(amount)
        case .fraction(let fraction):
            guard let exact = try? FixedPoint(approximating: fraction) else {
                throw .outOfRange(field: "trade_size_percentage", value: "\(fraction)", allowed: "0.01 to 1")
            }
            size = .fractionOfHolding(exact)
        }
        try self.init(
            riskTolerance: configuration.riskTolerance, minConfidence: configuration.minConfidence, tradeSize: size,
            cacheTTLSeconds: configuration.cacheTTLSeconds, volatilityWindow: configuration.volatilityWindow,
            feeRate: feeRate, historyKeep: configuration.tradeHistoryRetention,
            pairs: configuration.tradingPairs.map {
                TradingPairSetting(symbol: $0.symbol, priority: $0.priority, isEnabled: $0.isEnabled)
            })
    }
}
