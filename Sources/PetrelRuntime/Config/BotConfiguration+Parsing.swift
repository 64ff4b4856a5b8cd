import Foundation
import PetrelCore

extension BotConfiguration {
    /// Parses and validates a configuration, reporting every problem at once.
    /// - Parameters:
    ///   - data: the JSON text.
    ///   - source: the file name, for messages.
    /// - Throws: ``ConfigError`` listing each problem with its JSON path.
    public static func parse(_ data: Data, source: String) throws(ConfigError) -> BotConfiguration {
        let root: JSONValue
        do {
            root = try JSONValue.parse(data)
        } catch {
            throw ConfigError(
                source: source,
                issues: [ConfigIssue(path: "$", message: "not valid JSON: \(Self.jsonSyntaxMessage(error))")])
        }
        guard case .object(let top) = root else {
            throw ConfigError(source: source, issues: [ConfigIssue(path: "$", message: "\(root) is not an object")])
        }
        var r = ConfigReader()
        r.checkKeys(
            top, "$",
            allowed: [
                "description", "version", "broker", "trading", "data", "strategy", "notifications", "risk_management",
                "logging",
            ])
        let description = r.string(top, "description", "$")
        let version = r.string(top, "version", "$")
        let broker = parseBroker(&r, top)
        let trading = parseTrading(&r, top)
        let data = parseData(&r, top)
        let strategy = parseStrategy(&r, top)
        let notifications = parseNotifications(&r, top)
        let logging = parseLogging(&r, top)
        var risk = parseRisk(&r, top)
        if let trading {
            risk.maxPositions = trading.maxPositions
            risk.maxDrawdownPct = trading.maxDrawdownPct
            risk.maxExposure = trading.maxExposure
        }
        if let trading, let data, trading.symbol != data.symbol {
            r.fail(
                "$.data.symbol",
                "'\(data.symbol.venueSpelling(.concatenated))' differs from $.trading.symbol '\(trading.symbol.venueSpelling(.concatenated))'"
            )
        }
        guard r.issues.isEmpty, let broker, let trading, let data, let strategy else {
            throw ConfigError(source: source, issues: r.issues)
        }
        return BotConfiguration(
            description: description, version: version, broker: broker, trading: trading, data: data,
            strategy: strategy,
            notifications: notifications, risk: risk, logging: logging)
    }

    static func jsonSyntaxMessage(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError.map { "\($0)" } ?? context.debugDescription)
        }
        return "\(error)"
    }

    static func symbol(_ r: inout ConfigReader, _ object: [String: JSONValue], _ path: String) -> Symbol? {
        guard let text = r.string(object, "symbol", path, required: true) else { return nil }
        do {
            return try Symbol(parsing: text)
        } catch {
            r.fail("\(path).symbol", error.description)
            return nil
        }
    }

    static func parseBroker(_ r: inout ConfigReader, _ top: [String: JSONValue]) -> Broker? {
        guard let o = r.object(top, "broker", "$", required: true) else { return nil }
        let p = "$.broker"
        r.checkKeys(o, p, allowed: ["type", "initial_balance", "commission", "base_url", "ws_url", "account"])
        let type = r.string(o, "type", p, allowed: BrokerType.allCases.map(\.rawValue), required: true)
        let balance = r.decimal(o, "initial_balance", p, range: 0.00000001...1e10, required: true)
        let commission = r.number(o, "commission", p, range: 0...0.1) ?? 0.001
        guard let type, let balance, let brokerType = BrokerType(rawValue: type) else { return nil }
        return Broker(type: brokerType, initialBalance: balance, commission: commission)
    }

    static func parseTrading(_ r: inout ConfigReader, _ top: [String: JSONValue]) -> Trading? {
        guard let o = r.object(top, "trading", "$", required: true) else { return nil }
        let p = "$.trading"
        r.checkKeys(o, p, allowed: ["symbol", "position_size", "max_positions", "max_drawdown_pct", "max_exposure"])
        let symbol = symbol(&r, o, p)
        let size = r.number(o, "position_size", p, range: 0.0001...1, required: true)
        let maxPositions = r.integer(o, "max_positions", p, range: 1...1_000) ?? 1
        let drawdown = r.number(o, "max_drawdown_pct", p, range: 0.01...100)
        let exposure = r.number(o, "max_exposure", p, range: 0.01...10)
        guard let symbol, let size else { return nil }
        return Trading(
            symbol: symbol, positionSize: size, maxPositions: maxPositions, maxDrawdownPct: drawdown,
            maxExposure: exposure)
    }

    static func parseData(_ r: inout ConfigReader, _ top: [String: JSONValue]) -> DataSettings? {
        guard let o = r.object(top, "data", "$", required: true) else { return nil }
        let p = "$.data"
        r.checkKeys(
            o, p,
            allowed: [
                "data_source", "symbol", "interval", "lookback_bars", "retry_interval", "base_url", "ws_url", "file",
            ])
        let source = r.string(o, "data_source", p, allowed: DataSource.allCases.map(\.rawValue), required: true)
        let symbol = symbol(&r, o, p)
        let interval = r.string(o, "interval", p, allowed: Timeframe.allCases.map(\.rawValue), required: true)
        let lookback = r.integer(o, "lookback_bars", p, range: 1...100_000) ?? 1_000
        let retry = r.integer(o, "retry_interval", p, range: 1...86_400) ?? 60
        guard let source, let symbol, let interval, let dataSource = DataSource(rawValue: source),
            let timeframe = Timeframe(rawValue: interval)
        else { return nil }
        return DataSettings(
            dataSource: dataSource, symbol: symbol, interval: timeframe, lookbackBars: lookback, retryInterval: retry)
    }

    static func parseRule(_ r: inout ConfigReader, _ o: [String: JSONValue], _ key: String, _ path: String)
        -> RuleSelection?
    {
        guard let rule = r.object(o, key, path, required: true) else { return nil }
        let p = "\(path).\(key)"
        r.checkKeys(rule, p, allowed: ["name", "params"])
        let name = r.string(rule, "name", p, required: true)
        let params = parseParams(&r, rule, p)
        guard let name else { return nil }
        return RuleSelection(name: name, params: params)
    }

    static func parseParams(_ r: inout ConfigReader, _ o: [String: JSONValue], _ path: String) -> [String:
        ParameterValue]
    {
        guard let params = r.object(o, "params", path, required: false) else { return [:] }
        var values: [String: ParameterValue] = [:]
        for (name, value) in params {
            switch value {
            case .bool(let b): values[name] = .boolean(b)
            case .number(let n, let text):
                // `Int(n)` traps beyond Int's range (`1e30` reads as a 31-digit integer): keep those as numbers.
                let integer = text.contains(".") || text.contains("e") ? nil : Int(exactly: n)
                values[name] = integer.map { .integer($0) } ?? .number(n)
            case .string(let s): values[name] = .text(s)
            default: r.fail("\(path).params.\(name)", "\(value) is not a number, boolean or string")
            }
        }
        return values
    }

    static func parseStrategy(_ r: inout ConfigReader, _ top: [String: JSONValue]) -> StrategySettings? {
        guard let o = r.object(top, "strategy", "$", required: true) else { return nil }
        let p = "$.strategy"
        r.checkKeys(o, p, allowed: ["type", "name", "entry_logic", "exit_logic", "params", "position_size"])
        let type = r.string(o, "type", p) ?? r.string(o, "name", p) ?? "custom"
        let size = r.number(o, "position_size", p, range: 0.0001...1)
        if type == "custom" {
            let entry = parseRule(&r, o, "entry_logic", p)
            let exit = parseRule(&r, o, "exit_logic", p)
            guard let entry, let exit else { return nil }
            return StrategySettings(type: type, entryLogic: entry, exitLogic: exit, params: [:], positionSize: size)
        }
        return StrategySettings(
            type: type, entryLogic: nil, exitLogic: nil, params: parseParams(&r, o, p), positionSize: size)
    }
}
