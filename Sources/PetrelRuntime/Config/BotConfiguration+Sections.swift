import PetrelCore

extension BotConfiguration {
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
        for name in params.keys.sorted() {
            // Secret-named keys are checked by the secret scan; never echo their values.
            if ConfigReader.isSecretKey(name) {
                if r.secret(params, name) != nil {
                    r.fail("\(path).params.\(name)", "strategy parameters are never secrets; no strategy takes one")
                }
                continue
            }
            switch params[name] ?? .null {
            case .bool(let b): values[name] = .boolean(b)
            case .number(let n, let text):
                // `Int(n)` traps beyond Int's range (`1e30` reads as a 31-digit integer): keep those as numbers.
                let integer = text.contains(".") || text.contains("e") ? nil : Int(exactly: n)
                values[name] = integer.map { .integer($0) } ?? .number(n)
            case .string(let s): values[name] = .text(s)
            case let value: r.fail("\(path).params.\(name)", "\(value) is not a number, boolean or string")
            }
        }
        return values
    }

    static func parseStrategy(_ r: inout ConfigReader, _ top: [String: JSONValue]) -> StrategySettings? {
        guard let o = r.object(top, "strategy", "$", required: true) else { return nil }
        let p = "$.strategy"
        r.checkKeys(o, p, allowed: ["type", "name", "entry_logic", "exit_logic", "params", "position_size"])
        let typeValue = r.string(o, "type", p)
        let nameValue = r.string(o, "name", p)
        if typeValue == "custom", nameValue != nil {
            r.fail(
                "\(p).name",
                "is not used with \"type\": \"custom\" (name the rules in entry_logic.name and exit_logic.name)")
        } else if let typeValue, let nameValue, typeValue != nameValue {
            r.fail(
                "\(p).name",
                "'\(nameValue)' differs from $.strategy.type '\(typeValue)'; name the strategy in one of them")
        }
        let type = typeValue ?? nameValue ?? "custom"
        let size = r.number(o, "position_size", p, range: 0.0001...1)
        if type == "custom" {
            if o["params"].map({ $0 != .null }) == true {
                r.fail(
                    "\(p).params",
                    "a custom strategy takes its parameters in entry_logic.params and exit_logic.params")
            }
            let entry = parseRule(&r, o, "entry_logic", p)
            let exit = parseRule(&r, o, "exit_logic", p)
            guard let entry, let exit else { return nil }
            return StrategySettings(type: type, entryLogic: entry, exitLogic: exit, params: [:], positionSize: size)
        }
        for key in ["entry_logic", "exit_logic"] where o[key].map({ $0 != .null }) == true {
            r.fail("\(p).\(key)", "is only used with \"type\": \"custom\" (this strategy is '\(type)')")
        }
        var settings = StrategySettings(
            type: type, entryLogic: nil, exitLogic: nil, params: parseParams(&r, o, p), positionSize: size)
        settings.typeKey = typeValue == nil ? "name" : "type"
        return settings
    }

    static func parseRisk(_ r: inout ConfigReader, _ top: [String: JSONValue]) -> RiskSettings {
        var risk = RiskSettings()
        guard let o = r.object(top, "risk_management", "$", required: false) else { return risk }
        let p = "$.risk_management"
        r.checkKeys(
            o, p,
            allowed: [
                "stop_loss_pct", "take_profit_pct", "trailing_stop", "max_daily_trades", "max_daily_loss",
                "time_exit_minutes",
            ])
        risk.stopLossPct = r.number(o, "stop_loss_pct", p, range: 0.01...99.99)
        risk.takeProfitPct = r.number(o, "take_profit_pct", p, range: 0.01...10_000)
        risk.maxDailyTrades = r.integer(o, "max_daily_trades", p, range: 1...100_000)
        risk.maxDailyLoss = r.decimal(o, "max_daily_loss", p, range: 0.00000001...1e10)
        risk.timeExitMinutes = r.integer(o, "time_exit_minutes", p, range: RiskSettings.timeExitMinutesRange)
        if let trailing = r.object(o, "trailing_stop", p, required: false) {
            let tp = "\(p).trailing_stop"
            r.checkKeys(trailing, tp, allowed: ["enabled", "activation_pct", "trailing_pct"])
            let enabled = r.bool(trailing, "enabled", tp) ?? false
            let activation = r.number(trailing, "activation_pct", tp, range: 0...10_000, required: enabled)
            let distance = r.number(trailing, "trailing_pct", tp, range: 0.01...99.99, required: enabled)
            if enabled, let activation, let distance {
                risk.trailingStop = RiskSettings.TrailingStop(activationPct: activation, trailingPct: distance)
            }
        }
        return risk
    }
}
