import Foundation
import PetrelCore

extension BotConfiguration {
    /// Top-level keys of a strategy bot.
    static let topLevelKeys = [
        "bot_type", "description", "version", "broker", "trading", "data", "strategy", "notifications",
        "risk_management", "logging",
    ]

    /// Parses and validates a strategy bot configuration (seed 002), reporting every problem at once.
    /// - Parameters:
    ///   - data: the JSON text.
    ///   - source: the file name, for messages.
    ///   - validateStrategy: checks the `strategy` section against the strategies that exist (the
    ///     runtime does not know them; pass `StrategyRegistry.validate` from PetrelStrategies). Its
    ///     issues join the others, so one run reports everything.
    /// - Throws: ``ConfigError`` listing each problem with its JSON path.
    public static func parse(
        _ data: Data, source: String, validateStrategy: (StrategySettings) -> [ConfigIssue] = { _ in [] }
    ) throws(ConfigError) -> BotConfiguration {
        var (r, top) = try ConfigReader.root(data, source: source)
        if let type = r.string(top, "bot_type", "$", allowed: BotType.allCases.map(\.rawValue)), type != "strategy" {
            r.fail(
                "$.bot_type",
                "'\(type)' bots are not strategy bots: this command needs \"bot_type\": \"strategy\" (or no bot_type)")
            throw ConfigError(source: source, issues: r.issues)
        }
        guard let configuration = parseStrategyBot(&r, top, validateStrategy: validateStrategy), r.issues.isEmpty
        else {
            throw ConfigError(source: source, issues: r.issues)
        }
        return configuration
    }

    /// Reads every section of a strategy bot into `r`; nil when a required section is unusable.
    static func parseStrategyBot(
        _ r: inout ConfigReader, _ top: [String: JSONValue], validateStrategy: (StrategySettings) -> [ConfigIssue]
    ) -> BotConfiguration? {
        r.checkKeys(
            top, "$", allowed: topLevelKeys,
            explanations: Dictionary(
                uniqueKeysWithValues: PortfolioBotConfiguration.topLevelKeys.filter { !topLevelKeys.contains($0) }.map {
                    ($0, "a portfolio bot key: add \"bot_type\": \"portfolio\"")
                }))
        let description = r.string(top, "description", "$")
        let version = r.string(top, "version", "$")
        let broker = parseBroker(&r, top, allowed: BrokerType.strategyTypes)
        let trading = parseTrading(&r, top)
        let data = parseData(&r, top)
        let strategy = parseStrategy(&r, top)
        if let strategy { r.issues += validateStrategy(strategy) }
        let notifications = parseNotifications(&r, top)
        let logging = parseLogging(&r, top)
        var risk = parseRisk(&r, top)
        if let trading {
            risk.maxPositions = trading.maxPositions
            risk.maxDrawdownPct = trading.maxDrawdownPct
            risk.maxExposure = trading.maxExposure
        }
        checkMarket(&r, broker: broker, trading: trading, data: data)
        guard let broker, let trading, let data, let strategy else { return nil }
        return BotConfiguration(
            description: description, version: version, broker: broker, trading: trading, data: data,
            strategy: strategy, notifications: notifications, risk: risk, logging: logging, secrets: r.secrets)
    }

    static func symbol(_ r: inout ConfigReader, _ object: [String: JSONValue], _ key: String, _ path: String)
        -> Symbol?
    {
        guard let text = r.string(object, key, path, required: true) else { return nil }
        do {
            return try Symbol(parsing: text)
        } catch {
            r.fail("\(path).\(key)", error.description)
            return nil
        }
    }

    static func parseBroker(_ r: inout ConfigReader, _ top: [String: JSONValue], allowed types: [BrokerType])
        -> Broker?
    {
        guard let o = r.object(top, "broker", "$", required: true) else { return nil }
        let p = "$.broker"
        r.checkKeys(
            o, p,
            allowed: [
                "type", "initial_balance", "commission", "base_url", "ws_url", "account", "api_key", "api_secret",
                "passphrase", "token", "demo", "leverage", "margin_mode",
            ])
        let names = types.map(\.rawValue)
        var type: BrokerType?
        if case .string(let text)? = o["type"], let other = BrokerType(rawValue: text), !types.contains(other) {
            r.fail(
                "\(p).type",
                "'\(text)' is only for portfolio bots (add \"bot_type\": \"portfolio\"); expected one of \(names.joined(separator: ", "))"
            )
        } else {
            type = r.string(o, "type", p, allowed: names, required: true).flatMap(BrokerType.init(rawValue:))
        }
        let balance = r.decimal(o, "initial_balance", p, range: 0.00000001...1e10, required: true)
        let commission = r.number(o, "commission", p, range: 0...0.1) ?? 0.001
        let baseURL = r.url(o, "base_url", p, schemes: ["http", "https"])
        let wsURL = r.url(o, "ws_url", p, schemes: ["ws", "wss"])
        let account = r.string(o, "account", p)
        if let account, !isAccountName(account) {
            r.fail(
                "\(p).account",
                "'\(account)' is not an exchange account name (1 to 64 letters, digits, '.', '_' or '-')")
        }
        let demo = r.bool(o, "demo", p)
        let leverage = r.integer(o, "leverage", p, range: 1...125)
        let marginMode = r.string(o, "margin_mode", p, allowed: ["cross", "isolated"])
        if let type, type != .okx {
            for key in ["demo", "leverage", "margin_mode"] where o[key].map({ $0 != .null }) == true {
                r.fail("\(p).\(key)", "is only used by the 'okx' broker, not '\(type.rawValue)'")
            }
        }
        guard let type, let balance else { return nil }
        let broker = Broker(
            type: type, initialBalance: balance, commission: commission, baseURL: baseURL, wsURL: wsURL,
            account: account, apiKey: r.secret(o, "api_key"), apiSecret: r.secret(o, "api_secret"),
            passphrase: r.secret(o, "passphrase"), token: r.secret(o, "token"), demo: demo ?? false,
            leverage: leverage, marginMode: marginMode)
        checkCredentials(&r, broker, o)
        return broker
    }

    static func isAccountName(_ name: String) -> Bool {
        (1...64).contains(name.count)
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "." || $0 == "_" || $0 == "-")
            }
    }

    static func parseTrading(_ r: inout ConfigReader, _ top: [String: JSONValue]) -> Trading? {
        guard let o = r.object(top, "trading", "$", required: true) else { return nil }
        let p = "$.trading"
        r.checkKeys(
            o, p,
            allowed: [
                "symbol", "position_size", "max_positions", "max_drawdown_pct", "max_exposure", "sizing",
                "trade_amount",
            ])
        let symbol = symbol(&r, o, "symbol", p)
        let size = r.number(o, "position_size", p, range: 0.0001...1, required: true)
        let maxPositions = r.integer(o, "max_positions", p, range: 1...1_000) ?? 1
        let drawdown = r.number(o, "max_drawdown_pct", p, range: 0.01...100)
        let exposure = r.number(o, "max_exposure", p, range: 0.01...10)
        let sizingName = r.string(o, "sizing", p, allowed: Sizing.allCases.map(\.rawValue))
        let sizing = sizingName.flatMap(Sizing.init(rawValue:)) ?? .percent
        let amount = r.decimal(o, "trade_amount", p, range: 0.00000001...1e10)
        if sizing != .percent, o["trade_amount"] == nil {
            r.fail(
                "\(p).trade_amount",
                "is missing: sizing '\(sizing.rawValue)' needs the quote-asset amount per entry (for 'compounding', of the first entry), a number from 0.00000001 to 10000000000"
            )
        }
        if sizing == .percent, amount != nil {
            r.fail(
                "\(p).trade_amount",
                "only used with sizing 'fixed' or 'compounding' (sizing is 'percent': position_size of equity)")
        }
        guard let symbol, let size else { return nil }
        return Trading(
            symbol: symbol, positionSize: size, maxPositions: maxPositions, maxDrawdownPct: drawdown,
            maxExposure: exposure, sizing: sizing, tradeAmount: amount)
    }

    static func parseData(_ r: inout ConfigReader, _ top: [String: JSONValue]) -> DataSettings? {
        guard let o = r.object(top, "data", "$", required: true) else { return nil }
        let p = "$.data"
        r.checkKeys(
            o, p,
            allowed: [
                "data_source", "symbol", "interval", "lookback_bars", "retry_interval", "file", "base_url", "ws_url",
                "speed",
            ])
        let source = r.string(o, "data_source", p, allowed: DataSource.allCases.map(\.rawValue), required: true)
            .flatMap(DataSource.init(rawValue:))
        let symbol = symbol(&r, o, "symbol", p)
        let interval = r.string(o, "interval", p, allowed: Timeframe.allCases.map(\.rawValue), required: true)
            .flatMap(Timeframe.init(rawValue:))
        let lookback = r.integer(o, "lookback_bars", p, range: 1...100_000) ?? 1_000
        let retry = r.integer(o, "retry_interval", p, range: 1...86_400) ?? 60
        let file = r.string(o, "file", p)
        if file?.isEmpty == true || (source == .replay && o["file"].map({ $0 != .null }) != true) {
            r.fail("\(p).file", "is missing (a replay needs the path of the candle file to play)")
        }
        let baseURL = r.url(o, "base_url", p, schemes: ["http", "https"])
        let wsURL = r.url(o, "ws_url", p, schemes: ["ws", "wss"])
        let speed = parseSpeed(&r, o, p)
        if let source {
            if source != .replay, o["file"].map({ $0 != .null }) == true {
                r.fail(
                    "\(p).file", "is only used with \"data_source\": \"replay\" (this source is '\(source.rawValue)')")
            }
            if source != .replay, source != .simulated, o["speed"].map({ $0 != .null }) == true {
                r.fail(
                    "\(p).speed",
                    "is only used with \"data_source\": \"replay\" or \"simulated\" (this source is '\(source.rawValue)')"
                )
            }
            for key in ["base_url", "ws_url"] where !source.isNetwork && o[key].map({ $0 != .null }) == true {
                r.fail(
                    "\(p).\(key)",
                    "is only used with a network data source (binance, yahoo, ibkr, okx), not '\(source.rawValue)'")
            }
        }
        guard let source, let symbol, let interval else { return nil }
        return DataSettings(
            dataSource: source, symbol: symbol, interval: interval, lookbackBars: lookback, retryInterval: retry,
            file: file?.isEmpty == true ? nil : file, baseURL: baseURL, wsURL: wsURL,
            speed: source == .replay ? (speed ?? .multiple(1)) : (source == .simulated ? speed : nil))
    }

    /// `speed`: a positive multiple of real time, or `"max"`.
    static func parseSpeed(_ r: inout ConfigReader, _ o: [String: JSONValue], _ p: String) -> ReplaySpeed? {
        switch o["speed"] {
        case nil, .null?: return nil
        case .string("max")?: return .unlimited
        case .number?:
            return r.number(o, "speed", p, range: 0.01...1_000_000).map { .multiple($0) }
        case let value?:
            var hint = ""
            if case .string(let text) = value, closestName(to: text, in: ["max"]) != nil {
                hint = " (did you mean 'max'?)"
            }
            r.fail(
                "\(p).speed",
                "\(value) is not a speed\(hint); expected a number from 0.01 to 1000000 (times real time) or \"max\"")
            return nil
        }
    }
}
