import Foundation
import PetrelRuntime

extension ConfigSummary {
    /// The summary as aligned `label: text` lines for a person.
    func lines() -> [String] {
        var rows: [(String, String)] = []
        if let description { rows.append(("description", description)) }
        if let market {
            var text = "\(market.symbol) \(market.timeframe) from \(market.dataSource)"
            if let file = market.file { text += " (\(file) at \(market.speed ?? "1x") speed)" }
            text += ", warm-up \(market.lookbackBars) bars, reconnect every \(market.retryInterval) s"
            rows.append(("market", text))
        }
        if let pairs {
            rows.append(
                (
                    "pairs",
                    pairs.map { "\($0.symbol) (priority \($0.priority)\($0.enabled ? "" : ", disabled"))" }
                        .joined(separator: ", ")
                ))
        }
        rows.append(("broker", brokerText))
        if let strategy {
            rows.append(("strategy", strategy.name))
            for p in strategy.parameters {
                rows.append(("", "  \(p.name) = \(Self.text(p.value))\(p.isDefault ? " (default)" : "")"))
            }
        }
        if let risk {
            rows.append(
                (
                    "position",
                    "\(Self.sizingText(risk)), at most \(risk.maxPositions) open"
                        + (risk.maxExposure.map { ", exposure up to \(Self.percent($0))" } ?? "")
                ))
            rows.append(("risk", riskText(risk)))
        }
        if let portfolio {
            rows.append(
                (
                    "decisions",
                    "confidence ≥ \(Self.number(portfolio.minConfidence)), risk ≤ \(Self.number(portfolio.riskTolerance)), volatility over \(portfolio.volatilityWindow) prices, expected return > 0.1%"
                ))
            let size =
                portfolio.tradeSizeAmount.map { "\($0) per trade" }
                ?? "\(Self.percent(portfolio.tradeSizePercentage ?? 0)) of the holding per trade"
            rows.append(("trade size", size))
            rows.append(
                (
                    "timing",
                    "check every \(portfolio.checkIntervalSeconds) s, prices cached \(portfolio.cacheTtlSeconds) s"
                ))
            let retention = portfolio.tradeHistoryRetention
            rows.append(("history", retention == 0 ? "keep every trade" : "keep the last \(retention) trades"))
        }
        rows.append(
            (
                "notifications",
                notifications.isEmpty
                    ? "none"
                    : notifications.map { "\($0.name) (\($0.events.joined(separator: ", ")))" }.joined(separator: "; ")
            ))
        if let logging {
            var text = logging.level + (logging.logFile.map { " to \($0)" } ?? "")
            let saved = [logging.saveTrades ? "trades" : nil, logging.saveEquityCurve ? "equity curve" : nil].compactMap
            { $0 }
            text += saved.isEmpty ? "" : "; saves \(saved.joined(separator: " and "))"
            rows.append(("logging", text))
        }
        rows.append(
            (
                "secrets",
                secrets.isEmpty
                    ? "none"
                    : secrets.map { "\($0.name) at \($0.path) (\($0.isSet ? "set" : "not set"))" }.joined(
                        separator: ", ")
            ))
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { label, text in
            let head = label.isEmpty ? "" : label + ":"
            return head.padding(toLength: width + 2, withPad: " ", startingAt: 0) + text
        }
    }

    static func text(_ value: ParameterValue) -> String {
        switch value {
        case .number(let n): return number(n)
        case .text(let t): return "'\(t)'"
        default: return value.description
        }
    }

    private var brokerText: String {
        var text =
            "\(broker.type), initial balance \(broker.initialBalance), commission \(Self.percent(broker.commission))"
        if let account = broker.account { text += ", account '\(account)'" }
        if let url = broker.baseURL { text += ", \(url)" }
        if let url = broker.wsURL { text += ", \(url)" }
        return text
    }

    private static func sizingText(_ risk: Risk) -> String {
        switch BotConfiguration.Sizing(rawValue: risk.sizing) ?? .percent {
        case .fixed: return "\(risk.tradeAmount ?? "?") per entry"
        case .compounding: return "first entry \(risk.tradeAmount ?? "?"), then all available cash (compounding)"
        case .percent: return "\(percent(risk.positionSize)) of equity each"
        }
    }

    private func riskText(_ risk: Risk) -> String {
        var parts: [String] = []
        parts.append(risk.stopLossPct.map { "stop-loss \(Self.number($0))%" } ?? "no stop-loss")
        parts.append(risk.takeProfitPct.map { "take-profit \(Self.number($0))%" } ?? "no take-profit")
        parts.append(
            risk.trailingStop.map {
                "trailing stop \(Self.number($0.trailingPct))% after +\(Self.number($0.activationPct))%"
            } ?? "no trailing stop")
        if let minutes = risk.timeExitMinutes { parts.append("time exit after \(minutes) min") }
        if let trades = risk.maxDailyTrades { parts.append("at most \(trades) trades a day") }
        if let loss = risk.maxDailyLoss { parts.append("daily loss limit \(loss)") }
        if let drawdown = risk.maxDrawdownPct { parts.append("halt at \(Self.number(drawdown))% drawdown") }
        return parts.joined(separator: ", ")
    }
}
