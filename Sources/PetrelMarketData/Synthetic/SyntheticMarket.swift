import PetrelCore

/// A seeded generator of realistic-looking candles for tests, demos and strategy stress runs.
///
/// The model, per candle:
/// * a hidden **regime** (bull, bear, sideways) follows a Markov chain: each candle the market
///   leaves its regime with probability `candle length / meanDurationDays` for one of the other two;
/// * the **variance** of the candle's log return follows GARCH(1,1),
///   `h = (1 − α − β)·σ²_regime·dt + α·ε²_prev + β·h_prev`, so calm and wild stretches cluster and
///   drift toward the regime's volatility after a switch;
/// * the log price takes `intrabarSteps` normal sub-steps with drift `(μ·dt − h/2)/steps`; the open
///   is the previous close, the close is the last point, and the high and low are the extremes of
///   the path (so `low ≤ open, close ≤ high` always holds);
/// * **volume** is `baseVolume · (σ/σ_sideways) · (0.6 + 0.4·|ε|/σ) · lognormal noise`: it rises with
///   volatility and with the size of the move;
/// * prices are rounded half-even to `tickSize` (never below one tick) and volumes down to
///   `volumeStep`, giving exact `FixedPoint` values.
///
/// Randomness comes from ``Xoshiro256StarStar`` and normals from the polar Box–Muller method with a
/// `log` built from basic IEEE operations, so the same configuration yields bit-identical candles on
/// every platform.
public enum SyntheticMarket {
    /// Generates the candles of a configuration.
    /// - Parameter configuration: a valid configuration (see
    ///   ``Configuration/validate()``; an invalid one is a programmer error and traps).
    /// - Returns: the series, with source `synthetic(seed: N)`.
    /// - Complexity: O(count × intrabarSteps).
    public static func generate(_ configuration: Configuration) -> CandleSeries {
        generateWithRegimes(configuration).series
    }

    /// Generates the candles together with the regime each was drawn in (for tests and labelled
    /// training data).
    /// - Parameter configuration: a valid configuration.
    /// - Returns: the series and one regime per candle.
    /// - Complexity: O(count × intrabarSteps).
    public static func generateWithRegimes(_ configuration: Configuration)
        -> (series: CandleSeries, regimes: [MarketRegime])
    {
        do {
            try configuration.validate()
        } catch {
            preconditionFailure("invalid SyntheticMarket.Configuration: \(error)")
        }
        var generator = Generator(configuration)
        var candles: [Candle] = []
        var regimes: [MarketRegime] = []
        candles.reserveCapacity(configuration.count)
        regimes.reserveCapacity(configuration.count)
        var timestamp = configuration.startTimestamp
        for index in 0..<configuration.count {
            let (candle, regime) = generator.next(timestamp: timestamp, isFirst: index == 0)
            candles.append(candle)
            regimes.append(regime)
            timestamp = configuration.timeframe.nextBucket(after: timestamp)
        }
        let series = CandleSeries(
            symbol: configuration.symbol, timeframe: configuration.timeframe, candles: candles,
            source: "synthetic(seed: \(configuration.seed))")
        return (series, regimes)
    }
}

/// The generator's state between candles.
private struct Generator {
    let configuration: SyntheticMarket.Configuration
    var random: Xoshiro256StarStar
    var pendingNormal: Double?
    var regime: MarketRegime
    var variance: Double
    var lastShock = 0.0
    var open: Price
    let yearFraction: Double
    let days: Double
    let referenceSigma: Double
    let tick: Int64
    let maxTicks: Double

    init(_ configuration: SyntheticMarket.Configuration) {
        self.configuration = configuration
        random = Xoshiro256StarStar(seed: configuration.seed)
        regime = configuration.initialRegime
        let milliseconds = Double(configuration.timeframe.milliseconds)
        yearFraction = milliseconds / (365 * 86_400_000)
        days = milliseconds / 86_400_000
        let sideways = configuration.sideways.annualVolatility
        referenceSigma = (sideways * sideways * yearFraction).squareRoot()
        tick = configuration.tickSize.rawValue
        maxTicks = Double((Int64.max / tick) >> 1)  // halved: the Double must not round past the limit
        let volatility = configuration.parameters(of: regime).annualVolatility
        variance = volatility * volatility * yearFraction
        open = Price(rawValue: 0)
        open = price(configuration.startPrice.doubleValue)
    }

    mutating func normal() -> Double {
        if let pending = pendingNormal {
            pendingNormal = nil
            return pending
        }
        let (first, second) = random.normalPair()
        pendingNormal = second
        return first
    }

    /// The nearest whole number of ticks, at least one tick.
    func price(_ value: Double) -> Price {
        var ticks = (value / configuration.tickSize.doubleValue).rounded(.toNearestOrEven)
        if !(ticks >= 1) { ticks = 1 }
        if ticks > maxTicks { ticks = maxTicks }
        return Price(rawValue: Int64(ticks) * tick)
    }

    mutating func next(timestamp: Int64, isFirst: Bool) -> (Candle, MarketRegime) {
        let alpha = configuration.garchAlpha
        let beta = configuration.garchBeta
        if !isFirst {
            let leave = Swift.min(1, days / configuration.parameters(of: regime).meanDurationDays)
            if random.nextUnit() < leave {
                let others = MarketRegime.allCases.filter { $0 != regime }
                regime = others[Int(random.next() % UInt64(others.count))]
            }
        }
        let parameters = configuration.parameters(of: regime)
        let target = parameters.annualVolatility * parameters.annualVolatility * yearFraction
        if !isFirst {
            variance = (1 - alpha - beta) * target + alpha * lastShock * lastShock + beta * variance
        }
        let sigma = variance.squareRoot()
        let steps = configuration.intrabarSteps
        let stepDrift = (parameters.annualDrift * yearFraction - 0.5 * variance) / Double(steps)
        let stepSigma = sigma / Double(steps).squareRoot()
        var logPrice = DeterministicMath.log(open.doubleValue)
        var highest = logPrice
        var lowest = logPrice
        var shock = 0.0
        for _ in 0..<steps {
            let move = stepSigma * normal()
            shock += move
            logPrice += stepDrift + move
            highest = Swift.max(highest, logPrice)
            lowest = Swift.min(lowest, logPrice)
        }
        lastShock = shock
        let close = price(DeterministicMath.exp(logPrice))
        let high = Swift.max(price(DeterministicMath.exp(highest)), open, close)
        let low = Swift.min(price(DeterministicMath.exp(lowest)), open, close)
        let noise = DeterministicMath.exp(0.25 * normal() - 0.031_25)
        let size = 0.6 + 0.4 * abs(shock) / Swift.max(sigma, 1e-300)
        let rawVolume = configuration.baseVolume.doubleValue * (sigma / referenceSigma) * size * noise
        var steps64 = (rawVolume / configuration.volumeStep.doubleValue).rounded(.down)
        if !(steps64 >= 0) { steps64 = 0 }
        steps64 = Swift.min(steps64, Double((Int64.max / configuration.volumeStep.rawValue) >> 1))
        let volume = Quantity(rawValue: Int64(steps64) * configuration.volumeStep.rawValue)
        let candle = Candle(timestamp: timestamp, open: open, high: high, low: low, close: close, volume: volume)
        open = close
        return (candle, regime)
    }
}
