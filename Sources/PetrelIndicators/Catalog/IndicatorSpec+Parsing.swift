extension IndicatorSpec {
    /// Parses a spec such as `sma:20`, `macd:12,26,9`, `bbands:20,2`, `obv`, `vwap:session` or
    /// `vwap:session,8h`. Names are case-insensitive; omitted trailing parameters take the
    /// defaults listed in ``IndicatorCatalog``; spaces around parts are ignored.
    /// - Parameter text: the spec as the user wrote it.
    /// - Throws: ``IndicatorSpecError`` naming the spec, the bad parameter and its allowed
    ///   range, or listing the known names when the name is unknown.
    public init(parsing text: String) throws(IndicatorSpecError) {
        let spec = Self.trimmed(Substring(text))
        let colon = spec.firstIndex(of: ":")
        let name = Self.trimmed(colon.map { spec[..<$0] } ?? spec[...]).lowercased()
        guard !name.isEmpty else { throw .empty(spec: String(spec)) }
        guard let entry = IndicatorCatalog.entry(named: name) else {
            throw .unknownName(spec: String(spec), name: name, known: IndicatorCatalog.names)
        }
        let arguments: [String] =
            colon.map { spec[spec.index(after: $0)...].split(separator: ",", omittingEmptySubsequences: false) }?
            .map { String(Self.trimmed($0)) } ?? []
        let context = Context(spec: String(spec), entry: entry)

        if name == "vwap" {
            self.init(try Self.parseVWAP(arguments, context))
            return
        }
        guard arguments.count <= entry.parameters.count else {
            throw .tooManyParameters(
                spec: context.spec, name: name, accepted: entry.parameters.map(\.name), given: arguments.count)
        }
        var values: [Double] = []
        for (position, parameter) in entry.parameters.enumerated() {
            if position < arguments.count {
                values.append(try Self.parse(arguments[position], parameter, context))
            } else {
                values.append(parameter.defaultValue ?? parameter.range.lowerBound)
            }
        }
        self.init(try Self.configuration(name, values, context))
    }

    /// The spec being parsed, for error messages.
    struct Context {
        let spec: String
        let entry: IndicatorCatalog.Entry
    }

    static func configuration(
        _ name: String, _ v: [Double], _ context: Context
    ) throws(IndicatorSpecError) -> Configuration {
        let i = v.map { Int($0) }
        switch name {
        case "sma": return .sma(period: i[0])
        case "ema": return .ema(period: i[0])
        case "wma": return .wma(period: i[0])
        case "rsi": return .rsi(period: i[0])
        case "macd":
            guard i[0] < i[1] else {
                throw .inconsistentParameters(
                    spec: context.spec, reason: "fast period (\(i[0])) must be less than slow period (\(i[1]))")
            }
            return .macd(fast: i[0], slow: i[1], signal: i[2])
        case "bbands": return .bollingerBands(period: i[0], deviations: v[1])
        case "atr": return .atr(period: i[0])
        case "stoch": return .stochastic(fastK: i[0], slowK: i[1], slowD: i[2])
        case "adx": return .adx(period: i[0])
        case "cci": return .cci(period: i[0])
        case "roc": return .roc(period: i[0])
        case "willr": return .williamsR(period: i[0])
        case "obv": return .obv
        case "volsma": return .volumeSMA(period: i[0])
        case "donchian": return .donchian(period: i[0])
        case "keltner": return .keltner(period: i[0], multiplier: v[1], atrPeriod: i[2])
        case "ichimoku": return .ichimoku(tenkan: i[0], kijun: i[1], senkouB: i[2], displacement: i[3])
        case "supertrend": return .superTrend(period: i[0], multiplier: v[1])
        case "stddev": return .standardDeviation(period: i[0])
        case "logvol": return .logReturnVolatility(period: i[0], periodsPerYear: v[1])
        default:
            // Every catalog name is handled above; reaching here means the catalog and this
            // switch disagree, which is a programmer error.
            preconditionFailure("indicator catalog entry '\(name)' has no configuration")
        }
    }

    static func parse(
        _ text: String, _ parameter: IndicatorCatalog.Parameter, _ context: Context
    ) throws(IndicatorSpecError) -> Double {
        let invalid = IndicatorSpecError.invalidParameter(
            spec: context.spec, parameter: parameter.name, value: text, allowed: parameter.allowedDescription)
        // Plain decimals only: `Double(_:)` would also accept `inf`, `nan`, hex and exponents.
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.".contains($0)) }) else {
            throw invalid
        }
        let number: Double
        if parameter.isInteger {
            guard let whole = Int(text) else { throw invalid }
            number = Double(whole)
        } else {
            guard let real = Double(text), real.isFinite else { throw invalid }
            number = real
        }
        guard parameter.range.contains(number) else { throw invalid }
        return number
    }

    static func parseVWAP(_ arguments: [String], _ context: Context) throws(IndicatorSpecError) -> Configuration {
        guard let first = arguments.first else { return .sessionVWAP(lengthMs: VWAP.dayMs) }
        if first.lowercased() == "session" {
            guard arguments.count <= 2 else {
                throw .tooManyParameters(
                    spec: context.spec, name: "vwap", accepted: ["session", "length"], given: arguments.count)
            }
            guard arguments.count == 2 else { return .sessionVWAP(lengthMs: VWAP.dayMs) }
            return .sessionVWAP(lengthMs: try parseDuration(arguments[1], context))
        }
        guard arguments.count == 1 else {
            throw .tooManyParameters(spec: context.spec, name: "vwap", accepted: ["period"], given: arguments.count)
        }
        let period = context.entry.parameters[0]
        guard let whole = Int(first), parameter(period, contains: whole) else {
            throw .invalidParameter(
                spec: context.spec, parameter: "period", value: first,
                allowed: "\(period.allowedDescription), or 'session'")
        }
        return .vwap(period: whole)
    }

    static func parameter(_ parameter: IndicatorCatalog.Parameter, contains value: Int) -> Bool {
        parameter.range.contains(Double(value))
    }

    /// Longest accepted session: 365 days.
    static let maximumSessionMs: Int64 = 365 * VWAP.dayMs

    static func parseDuration(_ text: String, _ context: Context) throws(IndicatorSpecError) -> Int64 {
        let invalid = IndicatorSpecError.invalidParameter(
            spec: context.spec, parameter: "length", value: text,
            allowed: "a duration from 1m to 365d written as minutes, hours or days (30m, 8h, 1d)")
        guard let unit = text.last, let count = Int64(text.dropLast()), count >= 1 else { throw invalid }
        let unitMs: Int64
        switch unit {
        case "m": unitMs = 60_000
        case "h": unitMs = 3_600_000
        case "d": unitMs = VWAP.dayMs
        default: throw invalid
        }
        guard count <= maximumSessionMs / unitMs else { throw invalid }
        return count * unitMs
    }

    /// `text` without leading and trailing spaces and tabs (no Foundation needed).
    static func trimmed(_ text: Substring) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = text.firstIndex(where: { !isSpace($0) }) else { return text[text.endIndex...] }
        let end = text.lastIndex(where: { !isSpace($0) })!
        return text[start...end]
    }
}
