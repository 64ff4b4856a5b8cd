import PetrelCore

extension BotConfiguration {
    static func parseChannel(_ r: inout ConfigReader, _ o: [String: JSONValue], _ key: String, _ path: String)
        -> Channel?
    {
        guard let channel = r.object(o, key, path, required: false) else { return nil }
        let p = "\(path).\(key)"
        r.checkKeys(
            channel, p,
            allowed: [
                "enabled", "notify_on", "chat_ids", "bot_token", "to", "from", "smtp_host", "smtp_port", "username",
                "password",
            ])
        var events: [String] = []
        if let list = channel["notify_on"] {
            if case .array(let items) = list {
                for (index, item) in items.enumerated() {
                    if case .string(let event) = item, notificationEvents.contains(event) {
                        events.append(event)
                    } else {
                        let hint = { () -> String in
                            if case .string(let s) = item, let c = closestName(to: s, in: notificationEvents) {
                                return " (did you mean '\(c)'?)"
                            }
                            return ""
                        }()
                        r.fail(
                            "\(p).notify_on[\(index)]",
                            "\(item) is not an event\(hint); expected one of \(notificationEvents.joined(separator: ", "))"
                        )
                    }
                }
            } else {
                r.fail("\(p).notify_on", "\(list) is not an array of event names")
            }
        }
        return Channel(enabled: r.bool(channel, "enabled", p) ?? false, notifyOn: events)
    }

    static func parseNotifications(_ r: inout ConfigReader, _ top: [String: JSONValue]) -> Notifications? {
        guard let o = r.object(top, "notifications", "$", required: false) else { return nil }
        let p = "$.notifications"
        r.checkKeys(o, p, allowed: ["enabled", "telegram", "email", "webhook", "sms"])
        return Notifications(
            enabled: r.bool(o, "enabled", p) ?? false, telegram: parseChannel(&r, o, "telegram", p),
            email: parseChannel(&r, o, "email", p))
    }

    static func parseRisk(_ r: inout ConfigReader, _ top: [String: JSONValue]) -> RiskSettings {
        var risk = RiskSettings()
        guard let o = r.object(top, "risk_management", "$", required: false) else { return risk }
        let p = "$.risk_management"
        r.checkKeys(
            o, p, allowed: ["stop_loss_pct", "take_profit_pct", "trailing_stop", "max_daily_trades", "max_daily_loss"])
        risk.stopLossPct = r.number(o, "stop_loss_pct", p, range: 0.01...99.99)
        risk.takeProfitPct = r.number(o, "take_profit_pct", p, range: 0.01...10_000)
        risk.maxDailyTrades = r.integer(o, "max_daily_trades", p, range: 1...100_000)
        risk.maxDailyLoss = r.decimal(o, "max_daily_loss", p, range: 0.00000001...1e10)
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

    static func parseLogging(_ r: inout ConfigReader, _ top: [String: JSONValue]) -> Logging? {
        guard let o = r.object(top, "logging", "$", required: false) else { return nil }
        let p = "$.logging"
        r.checkKeys(o, p, allowed: ["level", "save_trades", "save_equity_curve", "log_file"])
        let level = r.string(o, "level", p, allowed: ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]) ?? "INFO"
        return Logging(
            level: level, saveTrades: r.bool(o, "save_trades", p) ?? true,
            saveEquityCurve: r.bool(o, "save_equity_curve", p) ?? true,
            logFile: r.string(o, "log_file", p))
    }
}
