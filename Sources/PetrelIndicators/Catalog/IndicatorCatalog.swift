/// Every indicator the CLI and configuration files can name, with its parameters, defaults,
/// allowed ranges and output columns; the single source of truth for ``IndicatorSpec`` parsing.
public enum IndicatorCatalog {
    /// One positional parameter of an indicator spec.
    public struct Parameter: Sendable, Hashable {
        /// Name used in messages and listings (`period`, `deviations`, …).
        public let name: String
        /// Value used when the spec leaves the parameter out; `nil` when there is none.
        public let defaultValue: Double?
        /// Inclusive range of accepted values.
        public let range: ClosedRange<Double>
        /// Whether only whole numbers are accepted.
        public let isInteger: Bool

        /// Creates a parameter description.
        /// - Parameters:
        ///   - name: name used in messages.
        ///   - defaultValue: value when omitted, or `nil`.
        ///   - range: inclusive accepted range.
        ///   - isInteger: whether only whole numbers are accepted.
        public init(name: String, defaultValue: Double?, range: ClosedRange<Double>, isInteger: Bool) {
            self.name = name
            self.defaultValue = defaultValue
            self.range = range
            self.isInteger = isInteger
        }

        /// What is allowed, for messages: `an integer in 1...100000` or `a number in 0...100`.
        public var allowedDescription: String {
            let bounds = "\(IndicatorSpec.format(range.lowerBound))...\(IndicatorSpec.format(range.upperBound))"
            return isInteger ? "an integer in \(bounds)" : "a number in \(bounds)"
        }
    }

    /// One indicator the catalog knows.
    public struct Entry: Sendable, Hashable {
        /// Spec name (`rsi`, `bbands`, …).
        public let name: String
        /// Positional parameters, in spec order.
        public let parameters: [Parameter]
        /// Column suffixes for multi-output indicators (`upper`, `middle`, `lower`); empty when
        /// the indicator has one column.
        public let outputs: [String]
        /// One-line description.
        public let summary: String
        /// How to write the spec, e.g. `bbands[:period[,deviations]]`.
        public let usage: String
        /// Matching TA-Lib function(s), if any.
        public let taLibFunction: String?
    }

    /// Largest period accepted anywhere (TA-Lib's limit).
    public static let maximumPeriod = 100_000

    static func period(_ name: String = "period", default value: Int?, minimum: Int = 1) -> Parameter {
        Parameter(
            name: name, defaultValue: value.map(Double.init), range: Double(minimum)...Double(maximumPeriod),
            isInteger: true)
    }

    static func multiplier(_ name: String, default value: Double) -> Parameter {
        Parameter(name: name, defaultValue: value, range: 0...100, isInteger: false)
    }

    static func makeEntry(
        _ name: String, _ parameters: [Parameter], outputs: [String] = [], taLib: String?, _ summary: String
    ) -> Entry {
        let usage: String
        if parameters.isEmpty {
            usage = name
        } else {
            let names = parameters.map(\.name)
            usage = name + "[:" + names.joined(separator: "[,") + String(repeating: "]", count: names.count)
        }
        return Entry(
            name: name, parameters: parameters, outputs: outputs, summary: summary, usage: usage,
            taLibFunction: taLib)
    }

    /// Every indicator, sorted by name.
    public static let all: [Entry] = [
        makeEntry(
            "adx", [period(default: 14)], outputs: ["adx", "plus_di", "minus_di"], taLib: "ADX, PLUS_DI, MINUS_DI",
            "Wilder's average directional index with +DI and −DI"),
        makeEntry("atr", [period(default: 14)], taLib: "ATR", "Wilder's average true range"),
        makeEntry(
            "bbands", [period(default: 20), multiplier("deviations", default: 2)],
            outputs: ["upper", "middle", "lower"], taLib: "BBANDS (SMA)",
            "Bollinger Bands: SMA ± deviations × population standard deviation"),
        makeEntry("cci", [period(default: 14)], taLib: "CCI", "Commodity channel index of the typical price"),
        makeEntry(
            "donchian", [period(default: 20)], outputs: ["upper", "middle", "lower"],
            taLib: "MAX(high), MIDPRICE, MIN(low)", "Donchian channels: highest high, midpoint, lowest low"),
        makeEntry("ema", [period(default: 30)], taLib: "EMA", "Exponential moving average of the close (SMA seed)"),
        Entry(
            name: "ichimoku",
            parameters: [
                period("tenkan", default: 9), period("kijun", default: 26), period("senkouB", default: 52),
                Parameter(name: "displacement", defaultValue: 26, range: 0...Double(maximumPeriod), isInteger: true),
            ],
            outputs: ["tenkan", "kijun", "senkou_a", "senkou_b", "chikou"],
            summary: "Ichimoku cloud; senkou spans as plotted at each bar, chikou = that bar's close",
            usage: "ichimoku[:tenkan[,kijun[,senkouB[,displacement]]]]", taLibFunction: nil),
        makeEntry(
            "keltner", [period(default: 20), multiplier("multiplier", default: 2), period("atrPeriod", default: 10)],
            outputs: ["upper", "middle", "lower"], taLib: nil, "Keltner channels: EMA ± multiplier × ATR"),
        Entry(
            name: "logvol",
            parameters: [
                period(default: 20, minimum: 2),
                Parameter(name: "periodsPerYear", defaultValue: 1, range: 1...1_000_000_000, isInteger: false),
            ],
            outputs: [], summary: "Sample standard deviation of log returns, × √periodsPerYear",
            usage: "logvol[:period[,periodsPerYear]]", taLibFunction: nil),
        makeEntry(
            "macd", [period("fast", default: 12), period("slow", default: 26), period("signal", default: 9)],
            outputs: ["macd", "signal", "hist"], taLib: "MACD", "MACD line, signal line and histogram"),
        makeEntry("obv", [], taLib: "OBV", "On-balance volume"),
        makeEntry("roc", [period(default: 10)], taLib: "ROC", "Rate of change of the close in percent"),
        makeEntry("rsi", [period(default: 14)], taLib: "RSI", "Wilder's relative strength index of the close"),
        makeEntry("sma", [period(default: 30)], taLib: "SMA", "Simple moving average of the close"),
        makeEntry(
            "stddev", [period(default: 5)], taLib: "STDDEV (nbDev 1)",
            "Rolling population standard deviation of the close"),
        makeEntry(
            "stoch", [period("fastK", default: 14), period("slowK", default: 3), period("slowD", default: 3)],
            outputs: ["k", "d"], taLib: "STOCH (SMA, SMA)", "Slow stochastic %K and %D"),
        makeEntry(
            "supertrend", [period(default: 10), multiplier("multiplier", default: 3)],
            outputs: ["value", "direction"], taLib: nil,
            "SuperTrend trailing level and direction (1 = up, −1 = down)"),
        makeEntry("volsma", [period(default: 20)], taLib: "SMA(volume)", "Simple moving average of volume"),
        Entry(
            name: "vwap", parameters: [period(default: nil)], outputs: [],
            summary: "VWAP of the typical price over PERIOD bars, or per session (default one UTC day)",
            usage: "vwap[:period | :session[,length]] (length like 30m, 8h, 1d)", taLibFunction: nil),
        makeEntry("willr", [period(default: 14)], taLib: "WILLR", "Williams %R"),
        makeEntry("wma", [period(default: 30)], taLib: "WMA", "Linearly weighted moving average of the close"),
    ]

    /// The names of ``all``, sorted.
    public static var names: [String] { all.map(\.name) }

    /// The entry with this spec name (case-insensitive), if any.
    /// - Parameter name: a spec name such as `rsi`.
    /// - Returns: the catalog entry, or `nil` for an unknown name.
    public static func entry(named name: String) -> Entry? {
        let key = name.lowercased()
        return all.first { $0.name == key }
    }
}
