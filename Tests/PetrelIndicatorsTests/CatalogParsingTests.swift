import PetrelIndicators
import Testing

@Suite("Indicator specs parse user text and explain every mistake")
struct CatalogParsingTests {
    @Test(
        "valid specs parse to canonical text and column names",
        arguments: [
            ("sma:20", "sma:20", ["sma_20"]),
            ("ema:50", "ema:50", ["ema_50"]),
            ("rsi:14", "rsi:14", ["rsi_14"]),
            ("macd:12,26,9", "macd:12,26,9", ["macd_12_26_9_macd", "macd_12_26_9_signal", "macd_12_26_9_hist"]),
            ("bbands:20,2", "bbands:20,2", ["bbands_20_2_upper", "bbands_20_2_middle", "bbands_20_2_lower"]),
            ("bbands:20,2.5", "bbands:20,2.5", ["bbands_20_2.5_upper", "bbands_20_2.5_middle", "bbands_20_2.5_lower"]),
            ("atr:14", "atr:14", ["atr_14"]),
            ("stoch:14,3,3", "stoch:14,3,3", ["stoch_14_3_3_k", "stoch_14_3_3_d"]),
            ("adx:14", "adx:14", ["adx_14_adx", "adx_14_plus_di", "adx_14_minus_di"]),
            ("cci:20", "cci:20", ["cci_20"]),
            ("roc:10", "roc:10", ["roc_10"]),
            ("willr:14", "willr:14", ["willr_14"]),
            ("obv", "obv", ["obv"]),
            ("vwap:20", "vwap:20", ["vwap_20"]),
            ("vwap:session", "vwap:session", ["vwap_session"]),
            ("vwap:session,4h", "vwap:session,4h", ["vwap_session_4h"]),
            ("vwap:session,1440m", "vwap:session", ["vwap_session"]),
            ("volsma:20", "volsma:20", ["volsma_20"]),
            ("donchian:20", "donchian:20", ["donchian_20_upper", "donchian_20_middle", "donchian_20_lower"]),
            (
                "keltner:20,2,10", "keltner:20,2,10",
                ["keltner_20_2_10_upper", "keltner_20_2_10_middle", "keltner_20_2_10_lower"]
            ),
            (
                "ichimoku:9,26,52", "ichimoku:9,26,52",
                [
                    "ichimoku_9_26_52_tenkan", "ichimoku_9_26_52_kijun", "ichimoku_9_26_52_senkou_a",
                    "ichimoku_9_26_52_senkou_b", "ichimoku_9_26_52_chikou",
                ]
            ),
            ("supertrend:10,3", "supertrend:10,3", ["supertrend_10_3_value", "supertrend_10_3_direction"]),
            ("stddev:20", "stddev:20", ["stddev_20"]),
            ("logvol:20", "logvol:20", ["logvol_20"]),
            ("logvol:20,525600", "logvol:20,525600", ["logvol_20_525600"]),
        ])
    func parsesValidSpecs(text: String, canonical: String, columns: [String]) throws {
        let spec = try IndicatorSpec(parsing: text)
        #expect(spec.description == canonical)
        #expect(spec.columnNames == columns)
        #expect(try IndicatorSpec(parsing: spec.description) == spec)
    }

    @Test(
        "omitted parameters take the catalog defaults",
        arguments: [
            ("rsi", "rsi:14"), ("sma", "sma:30"), ("bbands", "bbands:20,2"), ("bbands:10", "bbands:10,2"),
            ("macd", "macd:12,26,9"), ("macd:5", "macd:5,26,9"), ("stoch", "stoch:14,3,3"), ("cci", "cci:14"),
            ("keltner", "keltner:20,2,10"), ("ichimoku", "ichimoku:9,26,52"), ("supertrend", "supertrend:10,3"),
            ("stddev", "stddev:5"), ("logvol", "logvol:20"), ("vwap", "vwap:session"), ("adx", "adx:14"),
        ])
    func fillsDefaults(text: String, canonical: String) throws {
        #expect(try IndicatorSpec(parsing: text).description == canonical)
    }

    @Test("names are case-insensitive and spaces around parts are ignored")
    func lenientSpelling() throws {
        #expect(try IndicatorSpec(parsing: " RSI : 14 ") == IndicatorSpec(.rsi(period: 14)))
        #expect(try IndicatorSpec(parsing: "BBands:20, 2") == IndicatorSpec(.bollingerBands(period: 20, deviations: 2)))
        #expect(try IndicatorSpec(parsing: "VWAP:Session,8h") == IndicatorSpec(.sessionVWAP(lengthMs: 8 * 3_600_000)))
    }

    @Test("an unknown name lists every known indicator")
    func unknownName() {
        #expect {
            try IndicatorSpec(parsing: "bollinger:20")
        } throws: { error in
            guard let error = error as? IndicatorSpecError else { return false }
            let message = error.description
            return error == .unknownName(spec: "bollinger:20", name: "bollinger", known: IndicatorCatalog.names)
                && message.contains("'bollinger'") && message.contains("bbands") && message.contains("supertrend")
                && message.contains("vwap")
        }
    }

    @Test(
        "bad parameters name the spec, the parameter and the allowed range",
        arguments: [
            ("rsi:0", "period", "an integer in 1...100000"),
            ("sma:100001", "period", "an integer in 1...100000"),
            ("sma:abc", "period", "an integer in 1...100000"),
            ("sma:2.5", "period", "an integer in 1...100000"),
            ("sma:", "period", "an integer in 1...100000"),
            ("bbands:20,-1", "deviations", "a number in 0...100"),
            ("bbands:20,nan", "deviations", "a number in 0...100"),
            ("bbands:20,1e3", "deviations", "a number in 0...100"),
            ("macd:12,,9", "slow", "an integer in 1...100000"),
            ("logvol:1", "period", "an integer in 2...100000"),
            ("supertrend:10,101", "multiplier", "a number in 0...100"),
            ("ichimoku:9,26,52,-1", "displacement", "an integer in 0...100000"),
            ("vwap:0", "period", "an integer in 1...100000, or 'session'"),
            ("vwap:session,5x", "length", "a duration from 1m to 365d"),
            ("vwap:session,0h", "length", "a duration from 1m to 365d"),
        ])
    func rejectsBadParameters(text: String, parameter: String, allowed: String) {
        #expect {
            try IndicatorSpec(parsing: text)
        } throws: { error in
            guard case .invalidParameter(let spec, let name, _, let range)? = error as? IndicatorSpecError else {
                return false
            }
            let message = (error as! IndicatorSpecError).description
            return spec == text && name == parameter && range.hasPrefix(allowed)
                && message.contains("'\(text)'") && message.contains("'\(parameter)'") && message.contains(allowed)
        }
    }

    @Test("too many parameters say how many the indicator takes")
    func tooManyParameters() throws {
        let error = #expect(throws: IndicatorSpecError.self) { try IndicatorSpec(parsing: "rsi:14,2") }
        #expect(error?.description == "indicator 'rsi:14,2': rsi takes at most 1 (period), got 2")
        let obv = #expect(throws: IndicatorSpecError.self) { try IndicatorSpec(parsing: "obv:5") }
        #expect(obv?.description == "indicator 'obv:5': obv takes no parameters, got 1")
    }

    @Test("MACD refuses a fast period that is not below the slow one")
    func macdOrder() throws {
        let error = #expect(throws: IndicatorSpecError.self) { try IndicatorSpec(parsing: "macd:26,12") }
        #expect(error?.description == "indicator 'macd:26,12': fast period (26) must be less than slow period (12)")
    }

    @Test("an empty spec shows the expected shape")
    func emptySpec() throws {
        for text in ["", "  ", ":14"] {
            let error = #expect(throws: IndicatorSpecError.self) { try IndicatorSpec(parsing: text) }
            #expect(error?.description.contains("expected NAME[:P1,P2,…] such as rsi:14") == true)
        }
    }

    @Test("the catalog lists every indicator once, with defaults inside their ranges")
    func catalogIsConsistent() throws {
        let names = IndicatorCatalog.all.map(\.name)
        #expect(names == names.sorted())
        #expect(Set(names).count == names.count)
        #expect(names.count == 21)
        for entry in IndicatorCatalog.all {
            #expect(!entry.summary.isEmpty)
            for parameter in entry.parameters {
                if let value = parameter.defaultValue {
                    #expect(parameter.range.contains(value), "\(entry.name).\(parameter.name)")
                }
            }
            let spec = try IndicatorSpec(parsing: entry.name)
            #expect(spec.name == entry.name)
            #expect(spec.columnNames.count == max(entry.outputs.count, 1))
        }
        #expect(IndicatorCatalog.entry(named: "BBANDS")?.usage == "bbands[:period[,deviations]]")
        #expect(IndicatorCatalog.entry(named: "rsi")?.taLibFunction == "RSI")
    }
}
