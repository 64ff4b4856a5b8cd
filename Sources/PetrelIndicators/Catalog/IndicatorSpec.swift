/// A parsed, validated indicator request such as `rsi:14` or `bbands:20,2`: what the CLI's
/// `--indicator` option and strategy configurations name.
///
/// Parse with ``init(parsing:)``, list output columns with ``columnNames`` and evaluate over
/// candles with ``compute(_:)``. ``description`` gives the canonical text back
/// (`bbands:20,2`), with defaults filled in.
public struct IndicatorSpec: Sendable, Hashable, CustomStringConvertible {
    /// Which indicator with which parameters.
    public enum Configuration: Sendable, Hashable {
        /// ``SMA`` of the close.
        case sma(period: Int)
        /// ``EMA`` of the close.
        case ema(period: Int)
        /// ``WMA`` of the close.
        case wma(period: Int)
        /// ``RSI`` of the close.
        case rsi(period: Int)
        /// ``MACD`` of the close.
        case macd(fast: Int, slow: Int, signal: Int)
        /// ``BollingerBands`` of the close.
        case bollingerBands(period: Int, deviations: Double)
        /// ``ATR``.
        case atr(period: Int)
        /// ``Stochastic``.
        case stochastic(fastK: Int, slowK: Int, slowD: Int)
        /// ``ADX``.
        case adx(period: Int)
        /// ``CCI``.
        case cci(period: Int)
        /// ``ROC`` of the close.
        case roc(period: Int)
        /// ``WilliamsR``.
        case williamsR(period: Int)
        /// ``OBV``.
        case obv
        /// Rolling ``VWAP``.
        case vwap(period: Int)
        /// Session ``VWAP``.
        case sessionVWAP(lengthMs: Int64)
        /// ``VolumeSMA``.
        case volumeSMA(period: Int)
        /// ``DonchianChannels``.
        case donchian(period: Int)
        /// ``KeltnerChannels``.
        case keltner(period: Int, multiplier: Double, atrPeriod: Int)
        /// ``Ichimoku``.
        case ichimoku(tenkan: Int, kijun: Int, senkouB: Int, displacement: Int)
        /// ``SuperTrend``.
        case superTrend(period: Int, multiplier: Double)
        /// ``StandardDeviation`` of the close.
        case standardDeviation(period: Int)
        /// ``LogReturnVolatility`` of the close.
        case logReturnVolatility(period: Int, periodsPerYear: Double)
    }

    /// Which indicator with which parameters.
    public let configuration: Configuration

    /// Wraps a configuration built in code (parameters are checked when the indicator is
    /// created; use ``init(parsing:)`` for user input).
    /// - Parameter configuration: the indicator and its parameters.
    public init(_ configuration: Configuration) {
        self.configuration = configuration
    }

    /// The catalog name (`rsi`, `bbands`, …).
    public var name: String {
        switch configuration {
        case .sma: return "sma"
        case .ema: return "ema"
        case .wma: return "wma"
        case .rsi: return "rsi"
        case .macd: return "macd"
        case .bollingerBands: return "bbands"
        case .atr: return "atr"
        case .stochastic: return "stoch"
        case .adx: return "adx"
        case .cci: return "cci"
        case .roc: return "roc"
        case .williamsR: return "willr"
        case .obv: return "obv"
        case .vwap, .sessionVWAP: return "vwap"
        case .volumeSMA: return "volsma"
        case .donchian: return "donchian"
        case .keltner: return "keltner"
        case .ichimoku: return "ichimoku"
        case .superTrend: return "supertrend"
        case .standardDeviation: return "stddev"
        case .logReturnVolatility: return "logvol"
        }
    }

    /// The parameters as written in canonical text and column names. Trailing parameters
    /// equal to their defaults are left out where the catalog marks them optional
    /// (Ichimoku's displacement 26, logvol's periodsPerYear 1, a one-day VWAP session).
    var parameterTexts: [String] {
        switch configuration {
        case .sma(let p), .ema(let p), .wma(let p), .rsi(let p), .atr(let p), .adx(let p), .cci(let p),
            .roc(let p), .williamsR(let p), .vwap(let p), .volumeSMA(let p), .donchian(let p),
            .standardDeviation(let p):
            return [String(p)]
        case .macd(let fast, let slow, let signal):
            return [String(fast), String(slow), String(signal)]
        case .bollingerBands(let period, let deviations):
            return [String(period), Self.format(deviations)]
        case .stochastic(let fastK, let slowK, let slowD):
            return [String(fastK), String(slowK), String(slowD)]
        case .obv:
            return []
        case .sessionVWAP(let length):
            return length == VWAP.dayMs ? ["session"] : ["session", Self.formatDuration(length)]
        case .keltner(let period, let multiplier, let atrPeriod):
            return [String(period), Self.format(multiplier), String(atrPeriod)]
        case .ichimoku(let tenkan, let kijun, let senkouB, let displacement):
            let base = [String(tenkan), String(kijun), String(senkouB)]
            return displacement == 26 ? base : base + [String(displacement)]
        case .superTrend(let period, let multiplier):
            return [String(period), Self.format(multiplier)]
        case .logReturnVolatility(let period, let periodsPerYear):
            return periodsPerYear == 1 ? [String(period)] : [String(period), Self.format(periodsPerYear)]
        }
    }

    /// Canonical spec text with defaults filled in, e.g. `bbands:20,2`, `obv`, `vwap:session`.
    public var description: String {
        let parameters = parameterTexts
        return parameters.isEmpty ? name : name + ":" + parameters.joined(separator: ",")
    }

    /// Output column names: `name_param1_param2[_output]`, e.g. `rsi_14`,
    /// `bbands_20_2_upper`, `bbands_20_2_middle`, `bbands_20_2_lower`, `vwap_session`.
    public var columnNames: [String] {
        let prefix = ([name] + parameterTexts).joined(separator: "_")
        let outputs = IndicatorCatalog.entry(named: name)?.outputs ?? []
        return outputs.isEmpty ? [prefix] : outputs.map { prefix + "_" + $0 }
    }

    /// Inputs consumed before the first value of every column (the indicator's
    /// `warmUpPeriod`): how much history to load before the first bar that needs a value.
    public var warmUpPeriod: Int { indicatorWarmUpPeriod() }

    /// A number as written in specs: whole numbers without a fraction (`2`), others in
    /// shortest form (`2.5`).
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// A session length as written in specs: `1d`, `8h` or `90m` (the largest whole unit).
    static func formatDuration(_ milliseconds: Int64) -> String {
        let minute: Int64 = 60_000
        if milliseconds % (1_440 * minute) == 0 { return "\(milliseconds / (1_440 * minute))d" }
        if milliseconds % (60 * minute) == 0 { return "\(milliseconds / (60 * minute))h" }
        if milliseconds % minute == 0 { return "\(milliseconds / minute)m" }
        return "\(milliseconds)ms"
    }
}
