import Foundation
import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

/// Every numeric setting at both ends of its range and just outside them.
@Suite("Config ranges: every bound is accepted and every value past it is refused with its path")
struct ConfigRangeTests {
    /// The seed example with an enabled trailing stop and an e-mail channel, so their numbers are read.
    static let base = ConfigTesting.strategy
        .setting("risk_management.trailing_stop.enabled", "true")
        .setting("notifications.email.smtp_port", "587")

    /// The value a strategy bot holds at a dotted path, as text.
    static func read(_ path: String, _ c: BotConfiguration) -> String {
        switch path {
        case "broker.initial_balance": return c.broker.initialBalance.description
        case "broker.commission": return "\(c.broker.commission)"
        case "trading.position_size": return "\(c.trading.positionSize)"
        case "trading.max_positions": return "\(c.risk.maxPositions)"
        case "trading.max_drawdown_pct": return "\(c.risk.maxDrawdownPct ?? -1)"
        case "trading.max_exposure": return "\(c.risk.maxExposure ?? -1)"
        case "data.lookback_bars": return "\(c.data.lookbackBars)"
        case "data.retry_interval": return "\(c.data.retryInterval)"
        case "strategy.position_size": return "\(c.effectivePositionSize)"
        case "risk_management.stop_loss_pct": return "\(c.risk.stopLossPct ?? -1)"
        case "risk_management.take_profit_pct": return "\(c.risk.takeProfitPct ?? -1)"
        case "risk_management.max_daily_trades": return "\(c.risk.maxDailyTrades ?? -1)"
        case "risk_management.max_daily_loss": return c.risk.maxDailyLoss?.description ?? "-"
        case "risk_management.time_exit_minutes": return "\(c.risk.timeExitMinutes ?? -1)"
        case "risk_management.trailing_stop.activation_pct": return "\(c.risk.trailingStop?.activationPct ?? -1)"
        case "risk_management.trailing_stop.trailing_pct": return "\(c.risk.trailingStop?.trailingPct ?? -1)"
        case "notifications.email.smtp_port": return "\(c.notifications?.email?.smtpPort ?? -1)"
        default: return "unknown path \(path)"
        }
    }

    @Test(
        "values at the edges of their ranges are read exactly",
        arguments: [
            ("broker.initial_balance", "0.00000001", "0.00000001"),
            ("broker.initial_balance", "10000000000", "10000000000"),
            ("broker.initial_balance", "\"1234.56789012\"", "1234.56789012"), ("broker.commission", "0", "0.0"),
            ("broker.commission", "0.1", "0.1"), ("trading.position_size", "0.0001", "0.0001"),
            ("trading.position_size", "1", "1.0"), ("trading.max_positions", "1", "1"),
            ("trading.max_positions", "1000", "1000"), ("trading.max_drawdown_pct", "0.01", "0.01"),
            ("trading.max_drawdown_pct", "100", "100.0"), ("trading.max_exposure", "0.01", "0.01"),
            ("trading.max_exposure", "10", "10.0"), ("data.lookback_bars", "1", "1"),
            ("data.lookback_bars", "100000", "100000"), ("data.retry_interval", "1", "1"),
            ("data.retry_interval", "86400", "86400"), ("strategy.position_size", "0.0001", "0.0001"),
            ("strategy.position_size", "1", "1.0"), ("risk_management.stop_loss_pct", "0.01", "0.01"),
            ("risk_management.stop_loss_pct", "99.99", "99.99"), ("risk_management.take_profit_pct", "0.01", "0.01"),
            ("risk_management.take_profit_pct", "10000", "10000.0"), ("risk_management.max_daily_trades", "1", "1"),
            ("risk_management.max_daily_trades", "100000", "100000"),
            ("risk_management.time_exit_minutes", "1", "1"),
            ("risk_management.time_exit_minutes", "525600", "525600"),
            ("risk_management.max_daily_loss", "0.00000001", "0.00000001"),
            ("risk_management.max_daily_loss", "10000000000", "10000000000"),
            ("risk_management.trailing_stop.activation_pct", "0", "0.0"),
            ("risk_management.trailing_stop.activation_pct", "10000", "10000.0"),
            ("risk_management.trailing_stop.trailing_pct", "0.01", "0.01"),
            ("risk_management.trailing_stop.trailing_pct", "99.99", "99.99"),
            ("notifications.email.smtp_port", "1", "1"), ("notifications.email.smtp_port", "65535", "65535"),
        ])
    func acceptedEdges(path: String, json: String, expected: String) throws {
        let bot = try ConfigTesting.strategyBot(Self.base.setting(path, json))
        #expect(Self.read(path, bot) == expected)
    }

    @Test(
        "values just outside their ranges are refused with the path, the value and the range",
        arguments: [
            ("broker.initial_balance", "0", "0 is out of range (expected a number from 0.00000001 to 10000000000)"),
            (
                "broker.initial_balance", "10000000001",
                "10000000001 is out of range (expected a number from 0.00000001 to 10000000000)"
            ),
            ("broker.initial_balance", "\"-5\"", "'-5' is not a decimal from 0.00000001 to 10000000000"),
            ("broker.commission", "0.11", "0.11 is out of range (expected a number from 0 to 0.1)"),
            ("broker.commission", "-0.001", "-0.001 is out of range (expected a number from 0 to 0.1)"),
            ("trading.position_size", "0.00009", "0.00009 is out of range (expected a number from 0.0001 to 1)"),
            ("trading.position_size", "1.01", "1.01 is out of range (expected a number from 0.0001 to 1)"),
            ("trading.max_positions", "0", "0 is out of range (expected an integer from 1 to 1000)"),
            ("trading.max_positions", "1001", "1001 is out of range (expected an integer from 1 to 1000)"),
            ("trading.max_positions", "1.5", "1.5 is not an integer (expected an integer from 1 to 1000)"),
            ("trading.max_drawdown_pct", "0", "0 is out of range (expected a number from 0.01 to 100)"),
            ("trading.max_drawdown_pct", "100.5", "100.5 is out of range (expected a number from 0.01 to 100)"),
            ("trading.max_exposure", "10.5", "10.5 is out of range (expected a number from 0.01 to 10)"),
            ("data.lookback_bars", "0", "0 is out of range (expected an integer from 1 to 100000)"),
            ("data.lookback_bars", "100001", "100001 is out of range (expected an integer from 1 to 100000)"),
            ("data.retry_interval", "0", "0 is out of range (expected an integer from 1 to 86400)"),
            ("data.retry_interval", "86401", "86401 is out of range (expected an integer from 1 to 86400)"),
            ("strategy.position_size", "0", "0 is out of range (expected a number from 0.0001 to 1)"),
            ("risk_management.stop_loss_pct", "0", "0 is out of range (expected a number from 0.01 to 99.99)"),
            ("risk_management.stop_loss_pct", "100", "100 is out of range (expected a number from 0.01 to 99.99)"),
            (
                "risk_management.take_profit_pct", "10001",
                "10001 is out of range (expected a number from 0.01 to 10000)"
            ),
            ("risk_management.max_daily_trades", "0", "0 is out of range (expected an integer from 1 to 100000)"),
            (
                "risk_management.time_exit_minutes", "525601",
                "525601 is out of range (expected an integer from 1 to 525600)"
            ),
            (
                "risk_management.max_daily_loss", "0",
                "0 is out of range (expected a number from 0.00000001 to 10000000000)"
            ),
            (
                "risk_management.trailing_stop.activation_pct", "-1",
                "-1 is out of range (expected a number from 0 to 10000)"
            ),
            (
                "risk_management.trailing_stop.trailing_pct", "100",
                "100 is out of range (expected a number from 0.01 to 99.99)"
            ),
            ("notifications.email.smtp_port", "0", "0 is out of range (expected an integer from 1 to 65535)"),
            ("notifications.email.smtp_port", "65536", "65536 is out of range (expected an integer from 1 to 65535)"),
        ])
    func refusedEdges(path: String, json: String, message: String) {
        #expect(ConfigTesting.problems(Self.base.setting(path, json)) == ["$.\(path): \(message)"])
    }

    @Test("numbers too large for any range are refused, not trapped on")
    func hugeNumbers() {
        for (path, json) in [("trading.max_positions", "1e300"), ("data.lookback_bars", "-1e300")] {
            let problems = ConfigTesting.problems(Self.base.setting(path, json))
            #expect(problems.count == 1)
            #expect(problems.first?.hasPrefix("$.\(path): ") == true)
            #expect(
                problems.first?.hasSuffix(
                    "is not an integer (expected an integer from 1 to \(path.hasPrefix("data") ? 100000 : 1000))")
                    == true)
        }
        let text = ConfigFixtures.strategyExample.replacingOccurrences(
            of: "\"lookback_bars\": 1000", with: "\"lookback_bars\": 1e400")
        #expect(
            ConfigTesting.problems(text) == [
                "$.data.lookback_bars: 1e400 is not an integer (expected an integer from 1 to 100000)"
            ])
    }
}
