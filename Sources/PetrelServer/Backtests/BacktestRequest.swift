import Foundation
import HTTPTypes
import PetrelBacktest
import PetrelCore
import PetrelMarketData
import PetrelRuntime
import PetrelStrategies

/// A backtest job's request body, checked member by member: every problem is a 400 naming the member and
/// what it allows, before anything is queued.
///
/// ```json
/// {"name": "RSI on BTC", "strategy": "rsi_bb", "parameters": {"rsi_period": 14},
///  "data": {"file": "binance_BTCUSDT_1h_2024.csv"}, "from": "2024-01-01", "to": "2024-07-01",
///  "initial_balance": "10000", "fee": 0.001, "slippage": 0.0005, "allow_short": false}
/// ```
/// `config` (a seed 002 bot config) may replace `strategy` and `parameters`; it then also gives the risk
/// settings, the sizing, the balance, the commission and, without `data`, the market. `data` is a file
/// in the server's candle folder, or `{"simulated": true, …}` for the seeded simulated market.
struct BacktestRequest: Sendable {
    static let members: Set<String> = [
        "name", "strategy", "parameters", "config", "data", "from", "to", "initial_balance", "fee", "maker_fee",
        "slippage", "allow_short", "equity_points",
    ]
    static let dataMembers: Set<String> = [
        "file", "symbol", "timeframe", "simulated", "candles", "seed", "start_price",
    ]

    /// Where the market comes from.
    enum DataSource: Sendable {
        /// A file in the candle folder.
        case file(name: String, symbol: Symbol?, timeframe: Timeframe?)
        /// The seeded simulated market.
        case simulated(symbol: Symbol, timeframe: Timeframe, candles: Int, seed: UInt64, startPrice: Price)
    }

    var name: String
    var selection: StrategySelection
    var bot: BotConfiguration?
    var data: DataSource
    var from: Int64?
    var to: Int64?
    var configuration: BacktestConfiguration

    /// Parses and checks a request body.
    /// - Throws: ``APIError`` 400 naming the member at fault, or ``BotSetupError`` for a bad `config`.
    init(body: Data) throws {
        let members = try RawJSONMembers.split(body)
        try JSONFields.allow(members, Self.members)
        let field = JSONFields(members)
        name = try field.string("name", maxLength: 80) ?? ""
        if let raw = members["config"] {
            guard members["strategy"] == nil, members["parameters"] == nil else {
                throw APIError.badRequest("give either config or strategy with parameters, not both", field: "config")
            }
            guard raw.first == UInt8(ascii: "{") else {
                throw APIError.badRequest("config must be a JSON object (a seed 002 bot config)", field: "config")
            }
            let bot = try BotAssembly.parse(raw, source: "config")
            self.bot = bot
            do {
                selection = try StrategyRegistry.select(bot.strategy, source: "config")
            } catch {
                throw BotSetupError(error)
            }
        } else {
            guard let strategy = try field.string("strategy", maxLength: 100) else {
                throw APIError.badRequest(
                    "strategy is required (a name from GET /api/v1/strategies), or config (a seed 002 bot config)",
                    field: "strategy")
            }
            var params: [String: ParameterValue] = [:]
            if let raw = members["parameters"] {
                guard let decoded = try? JSONDecoder().decode([String: ParameterValue].self, from: raw) else {
                    throw APIError.badRequest(
                        "parameters must be an object of numbers, booleans and strings", field: "parameters")
                }
                params = decoded
            }
            do {
                selection = try StrategyRegistry.select(
                    BotConfiguration.StrategySettings(type: strategy, params: params), source: "request")
            } catch {
                let issue = error.issues.first
                throw APIError(
                    .badRequest, code: "invalid_field",
                    message: issue.map { "\(Self.requestPath($0.path)): \($0.message)" } ?? error.description,
                    field: issue.map { Self.requestPath($0.path) } ?? "strategy",
                    details: error.issues.map { APIError.Detail(field: Self.requestPath($0.path), message: $0.message) }
                )
            }
            bot = nil
        }
        data = try Self.dataSource(members["data"], bot: bot)
        from = try field.time("from")
        to = try field.time("to")
        if let from, let to, from >= to { throw APIError.badRequest("from must be before to", field: "from") }
        let balance = try field.decimal("initial_balance") ?? bot?.broker.initialBalance ?? 10_000
        guard balance.isPositive else {
            throw APIError.badRequest("initial_balance must be greater than zero", field: "initial_balance")
        }
        let fee = try field.number("fee", in: 0...0.1) ?? bot?.broker.commission ?? 0.001
        let makerFee = try field.number("maker_fee", in: 0...0.1) ?? fee
        let slippage = try field.number("slippage", in: 0...0.1) ?? 0
        var configuration = BacktestConfiguration(
            initialBalance: balance, costs: ExecutionCosts(makerFee: makerFee, takerFee: fee, slippage: slippage),
            risk: bot?.risk ?? RiskSettings(maxPositions: 1), sizing: bot?.positionSizing ?? .percentOfEquity(1),
            allowShort: try field.bool("allow_short") ?? false)
        configuration.equityCurvePoints = try field.integer("equity_points", in: 2...10_000) ?? 2_000
        self.configuration = configuration
    }

    /// `$.strategy.params.x` (the config validator's path) → `parameters.x` (the request's member).
    static func requestPath(_ path: String) -> String {
        if path.hasPrefix("$.strategy.params.") { return "parameters." + path.dropFirst("$.strategy.params.".count) }
        if path.hasPrefix("$.strategy") { return "strategy" }
        return path
    }

    static func dataSource(_ raw: Data?, bot: BotConfiguration?) throws -> DataSource {
        guard let raw else {
            if let bot {
                switch bot.data.dataSource {
                case .replay:
                    if let file = bot.data.file {
                        return .file(
                            name: try candleFileName(file, field: "config.data.file"), symbol: bot.data.symbol,
                            timeframe: bot.data.interval)
                    }
                case .simulated:
                    return .simulated(
                        symbol: bot.data.symbol, timeframe: bot.data.interval, candles: 20_000, seed: 20_260_101,
                        startPrice: 30_000)
                default:
                    break
                }
            }
            throw APIError.badRequest(
                "data is required: {\"file\": NAME} (see GET /api/v1/analytics/datasets) or {\"simulated\": true}",
                field: "data")
        }
        guard raw.first == UInt8(ascii: "{") else {
            throw APIError.badRequest(
                "data must be an object: {\"file\": NAME} or {\"simulated\": true}", field: "data")
        }
        let members = try RawJSONMembers.split(raw)
        try JSONFields.allow(members, dataMembers, prefix: "data.")
        let field = JSONFields(members, prefix: "data.")
        let symbol = try field.symbol("symbol")
        let timeframe = try field.timeframe("timeframe")
        if try field.bool("simulated") == true {
            guard members["file"] == nil else {
                throw APIError.badRequest("give either data.file or data.simulated, not both", field: "data.file")
            }
            return .simulated(
                symbol: symbol ?? (try! Symbol(parsing: "SIM/USDT")), timeframe: timeframe ?? .m15,
                candles: try field.integer("candles", in: 100...200_000) ?? 5_000,
                seed: UInt64(try field.integer("seed", in: 0...Int(Int32.max)) ?? 20_260_101),
                startPrice: try field.decimal("start_price").map { price in
                    guard price.isPositive else {
                        throw APIError.badRequest(
                            "data.start_price must be greater than zero", field: "data.start_price")
                    }
                    return price
                } ?? 30_000)
        }
        guard let file = try field.string("file", maxLength: 200) else {
            throw APIError.badRequest(
                "data needs file (a name from GET /api/v1/analytics/datasets) or simulated: true", field: "data.file")
        }
        return .file(name: try candleFileName(file, field: "data.file"), symbol: symbol, timeframe: timeframe)
    }

    /// A plain file name in the candle folder: no folders, no `..`, no hidden files.
    static func candleFileName(_ name: String, field: String) throws -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
        guard !name.isEmpty, !name.hasPrefix("."), name.allSatisfy({ allowed.contains($0) }) else {
            throw APIError.badRequest(
                "\(field) '\(name)' must be a file name in the server's candle folder (letters, digits, '_', '-', '.'; no folders)",
                field: field)
        }
        return name
    }
}

/// Typed reads of a JSON object's members, each failure a 400 naming the member.
struct JSONFields {
    let members: [String: Data]
    var prefix = ""

    init(_ members: [String: Data], prefix: String = "") {
        self.members = members
        self.prefix = prefix
    }

    /// - Throws: ``APIError`` 400 at the first member (by name) that is not in `allowed`, listing those that are.
    static func allow(_ members: [String: Data], _ allowed: Set<String>, prefix: String = "") throws {
        for key in members.keys.sorted() where !allowed.contains(key) {
            throw APIError.badRequest(
                "unknown member '\(key)'; allowed: \(allowed.sorted().joined(separator: ", "))", field: prefix + key)
        }
    }

    func fail(_ name: String, _ what: String) -> APIError {
        APIError.badRequest("\(prefix)\(name) must be \(what)", field: prefix + name)
    }

    func string(_ name: String, maxLength: Int) throws -> String? {
        guard let raw = members[name] else { return nil }
        guard let value = try? JSONDecoder().decode(String.self, from: raw), value.count <= maxLength else {
            throw fail(name, "a string of at most \(maxLength) characters")
        }
        return value
    }

    func bool(_ name: String) throws -> Bool? {
        guard let raw = members[name] else { return nil }
        guard let value = try? JSONDecoder().decode(Bool.self, from: raw) else { throw fail(name, "true or false") }
        return value
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let raw = members[name] else { return nil }
        guard let value = try? JSONDecoder().decode(Int.self, from: raw), range.contains(value) else {
            throw fail(name, "an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func number(_ name: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let raw = members[name] else { return nil }
        guard let value = try? JSONDecoder().decode(Double.self, from: raw), range.contains(value) else {
            throw fail(name, "a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A decimal given as a string (`"10000.50"`) or a JSON number, read digit for digit.
    func decimal(_ name: String) throws -> FixedPoint? {
        guard let raw = members[name] else { return nil }
        let text =
            (try? JSONDecoder().decode(String.self, from: raw)) ?? String(decoding: raw, as: UTF8.self)
        guard let value = try? FixedPoint(parsing: text.trimmingCharacters(in: .whitespaces)) else {
            throw fail(name, "a decimal amount such as \"10000\" or \"0.5\"")
        }
        return value
    }

    /// Unix ms, or a date `YYYY-MM-DD[THH:MM[:SS]]` (UTC).
    func time(_ name: String) throws -> Int64? {
        guard let raw = members[name] else { return nil }
        if let value = try? JSONDecoder().decode(Int64.self, from: raw), value >= 0 { return value }
        if let text = try? JSONDecoder().decode(String.self, from: raw), let value = CivilDate.parseTimestamp(text) {
            return value
        }
        throw fail(name, "a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM, UTC) or Unix milliseconds")
    }

    func symbol(_ name: String) throws -> Symbol? {
        guard let text = try string(name, maxLength: 40) else { return nil }
        guard let value = try? Symbol(parsing: text) else { throw fail(name, "a symbol such as BTC/USDT") }
        return value
    }

    func timeframe(_ name: String) throws -> Timeframe? {
        guard let text = try string(name, maxLength: 10) else { return nil }
        guard let value = Timeframe(rawValue: text) else { throw fail(name, "one of \(Timeframe.allowedValues)") }
        return value
    }
}
