import PetrelCore

extension SyntheticMarket {
    /// Everything that determines a synthetic series; the same configuration always gives the same
    /// candles.
    public struct Configuration: Sendable, Hashable {
        /// The random seed.
        public var seed: UInt64
        /// The symbol stored on the series, if any.
        public var symbol: Symbol?
        /// The first open price (rounded to ``tickSize``).
        public var startPrice: Price
        /// The first candle's open time (Unix ms); must be a candle start of ``timeframe``.
        public var startTimestamp: Int64
        /// The candle length.
        public var timeframe: Timeframe
        /// How many candles to generate.
        public var count: Int
        /// Price increment: every price is a whole multiple of it.
        public var tickSize: Price
        /// Volume increment: every volume is a whole multiple of it.
        public var volumeStep: Quantity
        /// Typical volume of one candle at the sideways regime's volatility.
        public var baseVolume: Quantity
        /// Parameters of the bull regime.
        public var bull: RegimeParameters
        /// Parameters of the bear regime.
        public var bear: RegimeParameters
        /// Parameters of the sideways regime.
        public var sideways: RegimeParameters
        /// The regime of the first candle.
        public var initialRegime: MarketRegime
        /// GARCH(1,1) weight of the last squared shock (volatility reacts to news).
        public var garchAlpha: Double
        /// GARCH(1,1) weight of the last variance (volatility persists); `alpha + beta < 1`.
        public var garchBeta: Double
        /// Sub-steps simulated inside each candle to place its high and low.
        public var intrabarSteps: Int

        /// Creates a configuration; every parameter but the seed has a crypto-like default
        /// (a BTC-like market of 1-minute candles from 2024-01-01).
        /// - Parameters:
        ///   - seed: the random seed.
        ///   - symbol: the symbol stored on the series.
        ///   - startPrice: the first open.
        ///   - startTimestamp: the first open time in Unix ms.
        ///   - timeframe: the candle length.
        ///   - count: the number of candles.
        ///   - tickSize: the price increment.
        ///   - volumeStep: the volume increment.
        ///   - baseVolume: the typical calm-market volume per candle.
        ///   - bull: bull regime parameters.
        ///   - bear: bear regime parameters.
        ///   - sideways: sideways regime parameters.
        ///   - initialRegime: the starting regime.
        ///   - garchAlpha: GARCH shock weight.
        ///   - garchBeta: GARCH persistence.
        ///   - intrabarSteps: sub-steps per candle (1…64).
        public init(
            seed: UInt64, symbol: Symbol? = nil, startPrice: Price = 30_000,
            startTimestamp: Int64 = 1_704_067_200_000, timeframe: Timeframe = .m1, count: Int = 1_000,
            tickSize: Price = Price(rawValue: 1_000_000), volumeStep: Quantity = Quantity(rawValue: 1_000),
            baseVolume: Quantity = 10,
            bull: RegimeParameters = RegimeParameters(annualDrift: 0.8, annualVolatility: 0.55, meanDurationDays: 30),
            bear: RegimeParameters = RegimeParameters(annualDrift: -0.7, annualVolatility: 0.8, meanDurationDays: 20),
            sideways: RegimeParameters = RegimeParameters(
                annualDrift: 0, annualVolatility: 0.35, meanDurationDays: 40),
            initialRegime: MarketRegime = .sideways, garchAlpha: Double = 0.08, garchBeta: Double = 0.9,
            intrabarSteps: Int = 8
        ) {
            self.seed = seed
            self.symbol = symbol
            self.startPrice = startPrice
            self.startTimestamp = startTimestamp
            self.timeframe = timeframe
            self.count = count
            self.tickSize = tickSize
            self.volumeStep = volumeStep
            self.baseVolume = baseVolume
            self.bull = bull
            self.bear = bear
            self.sideways = sideways
            self.initialRegime = initialRegime
            self.garchAlpha = garchAlpha
            self.garchBeta = garchBeta
            self.intrabarSteps = intrabarSteps
        }

        /// The parameters of `regime`.
        /// - Parameter regime: the regime.
        public func parameters(of regime: MarketRegime) -> RegimeParameters {
            switch regime {
            case .bull: return bull
            case .bear: return bear
            case .sideways: return sideways
            }
        }

        /// Checks every field (call it on user input before ``SyntheticMarket/generate(_:)``).
        /// - Throws: ``MarketDataError/invalidConfiguration(field:value:reason:)`` naming the field.
        public func validate() throws(MarketDataError) {
            func fail(_ field: String, _ value: Any, _ reason: String) -> MarketDataError {
                .invalidConfiguration(field: field, value: "\(value)", reason: reason)
            }
            guard (0...50_000_000).contains(count) else { throw fail("count", count, "must be 0 to 50000000") }
            guard tickSize.isPositive else { throw fail("tickSize", tickSize, "must be greater than zero") }
            guard startPrice >= tickSize else { throw fail("startPrice", startPrice, "must be at least the tick size") }
            guard startPrice < 1_000_000_000 else { throw fail("startPrice", startPrice, "must be below 1000000000") }
            guard volumeStep.isPositive else { throw fail("volumeStep", volumeStep, "must be greater than zero") }
            guard !baseVolume.isNegative, baseVolume < 1_000_000_000 else {
                throw fail("baseVolume", baseVolume, "must be 0 to 1000000000")
            }
            guard timeframe.bucketStart(containing: startTimestamp) == startTimestamp else {
                throw fail("startTimestamp", startTimestamp, "must be the start of a \(timeframe.rawValue) candle")
            }
            for regime in MarketRegime.allCases {
                let parameters = parameters(of: regime)
                guard parameters.annualDrift.isFinite, abs(parameters.annualDrift) <= 10 else {
                    throw fail("\(regime.rawValue).annualDrift", parameters.annualDrift, "must be between -10 and 10")
                }
                guard parameters.annualVolatility > 0, parameters.annualVolatility <= 5 else {
                    throw fail(
                        "\(regime.rawValue).annualVolatility", parameters.annualVolatility,
                        "must be greater than 0 and at most 5")
                }
                guard parameters.meanDurationDays > 0, parameters.meanDurationDays.isFinite else {
                    throw fail(
                        "\(regime.rawValue).meanDurationDays", parameters.meanDurationDays, "must be greater than 0")
                }
            }
            guard garchAlpha >= 0, garchBeta >= 0, garchAlpha + garchBeta < 1 else {
                throw fail(
                    "garchAlpha", "\(garchAlpha) + garchBeta \(garchBeta)", "must be non-negative with a sum below 1")
            }
            guard (1...64).contains(intrabarSteps) else {
                throw fail("intrabarSteps", intrabarSteps, "must be 1 to 64")
            }
        }
    }
}
