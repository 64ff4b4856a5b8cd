import ArgumentParser
import Foundation
import PetrelBacktest
import PetrelCore
import PetrelNotifications
import PetrelRuntime
import PetrelServer
import PetrelStrategies

/// `--data` and friends.
struct DataOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "Candle file (CSV, CSV.gz, Binance kline CSV, Yahoo CSV or .pcandles); repeat for several symbols.")
    var data: [String] = []
    @Option(help: "Symbol of the data (BTC/USDT); inferred from names like binance_BTCUSDT_1m_2024.csv.")
    var symbol: String?
    @Option(help: "Timeframe of the data (\(Timeframe.allowedValues)); inferred from the timestamps.")
    var timeframe: String?
    @Option(help: "First candle to use (YYYY-MM-DD[THH:MM], UTC, or Unix ms).")
    var from: String?
    @Option(help: "End of the data to use (exclusive): candles opening before this time, e.g. 2025-01-01.")
    var to: String?
    @Option(help: "Price tick size of the instrument (default 0.00000001).")
    var tickSize: String?
    @Option(help: "Quantity step size of the instrument (default 0.00000001).")
    var stepSize: String?
    @Option(help: "Minimum order value in the quote asset (default 0).")
    var minNotional: String?

    var market: MarketOptions {
        MarketOptions(
            files: data, symbol: symbol, timeframe: timeframe, from: from, to: to, tickSize: tickSize,
            stepSize: stepSize,
            minNotional: minNotional)
    }
}

/// Which strategy: a name with parameters, or a seed 002 bot config.
struct StrategyOptions: ParsableArguments {
    @Option(help: "Strategy name (see `petrel strategies list`).")
    var strategy: String?
    @Option(name: .customLong("param"), help: "Strategy parameter as name=value; repeatable.")
    var params: [String] = []
    @Option(help: "Bot configuration JSON (seed 002 format): strategy, broker and risk settings.")
    var config: String?

    /// The chosen strategy with the user's values, validated against its schema.
    func select() throws -> (StrategyDescriptor, [String: ParameterValue], BotConfiguration?) {
        if let config {
            guard strategy == nil, params.isEmpty else {
                throw CLIError("use either --config or --strategy/--param, not both")
            }
            let bot = try Self.loadConfig(config)
            do {
                // Already validated by loadConfig; select only builds what the checks accepted.
                let selection = try StrategyRegistry.select(bot.strategy, source: config)
                return (selection.descriptor, selection.values, bot)
            } catch {
                throw CLIError(error.description)
            }
        }
        guard let strategy else {
            throw CLIError("choose a strategy with --strategy NAME (see `petrel strategies list`) or --config FILE")
        }
        do {
            let descriptor = try StrategyRegistry.strategy(named: strategy)
            var values: [String: ParameterValue] = [:]
            for assignment in params {
                let (name, value) = try descriptor.schema.parseAssignment(assignment)
                values[name] = value
            }
            _ = try descriptor.make(try descriptor.schema.resolve(values))
            return (descriptor, values, nil)
        } catch {
            throw CLIError("\(error)")
        }
    }

    /// Parses a strategy bot config with the same checks as `petrel config validate`, strategy
    /// registry included, so both commands report identical problems.
    static func loadConfig(_ path: String) throws -> BotConfiguration {
        try parseConfig(try readConfig(path), source: path)
    }

    /// A bot config from the bytes of the file at `source`.
    /// - Throws: ``CLIError`` with every problem found.
    static func parseConfig(_ data: Data, source: String) throws -> BotConfiguration {
        do {
            return try BotAssembly.parse(data, source: source)
        } catch {
            throw CLIError(error.description)
        }
    }

    /// The bytes of a config file.
    /// - Throws: ``CLIError`` naming the file when it cannot be read.
    static func readConfig(_ path: String) throws -> Data {
        do {
            return try BotAssembly.readConfig(path)
        } catch {
            throw CLIError(error.description)
        }
    }
}

/// Money, costs, sizing and risk.
struct TradingOptions: ParsableArguments {
    @Option(help: "Starting balance in the quote asset (default 10000, or the config's initial_balance).")
    var balance: String?
    @Option(help: "Fee rate per fill, e.g. 0.001 for 0.1% (default 0.001, or the config's commission).")
    var fee: Double?
    @Option(help: "Maker fee rate for resting limit orders (default: --fee).")
    var makerFee: Double?
    @Option(help: "Slippage on market and stop fills as a fraction of price, e.g. 0.0005.")
    var slippage: Double = 0
    @Option(
        help:
            "Position sizing: percent:F (fraction of equity), fixed:AMOUNT, compounding:FIRST_AMOUNT or risk:FRACTION,ATR_PERIOD,ATR_MULTIPLE."
    )
    var sizing: String?
    @Option(help: "Stop-loss in percent of the entry price.")
    var stopLoss: Double?
    @Option(help: "Take-profit in percent of the entry price.")
    var takeProfit: Double?
    @Option(help: "Trailing stop as ACTIVATION_PCT,TRAILING_PCT.")
    var trailingStop: String?
    @Option(help: "Maximum entries per UTC day.")
    var maxDailyTrades: Int?
    @Option(help: "Time exit: close a position held this many minutes (1 to 525600).")
    var timeExit: Int?
    @Option(help: "Maximum loss per UTC day in the quote asset; then no entries until the next day.")
    var maxDailyLoss: String?
    @Option(help: "Drawdown in percent from the equity peak that halts trading and closes positions.")
    var maxDrawdown: Double?
    @Option(help: "Maximum concurrent positions (default 1 per symbol).")
    var maxPositions: Int?
    @Option(help: "Maximum gross exposure as a fraction of equity (1 = 100%).")
    var maxExposure: Double?
    @Flag(help: "Take short entries too.")
    var allowShort = false

    /// The backtest configuration, starting from a bot config when one is given.
    func configuration(bot: BotConfiguration?, marketCount: Int) throws -> BacktestConfiguration {
        func check(_ ok: Bool, _ message: String) throws { if !ok { throw CLIError(message) } }
        let balanceValue: Money
        if let balance {
            do { balanceValue = try FixedPoint(parsing: balance) } catch { throw CLIError("--balance: \(error)") }
        } else {
            balanceValue = bot?.broker.initialBalance ?? 10_000
        }
        try check(balanceValue.isPositive, "--balance must be greater than zero")
        let feeValue = fee ?? bot?.broker.commission ?? 0.001
        try check((0...0.1).contains(feeValue), "--fee \(feeValue) is out of range (0 to 0.1)")
        let makerValue = makerFee ?? feeValue
        try check((0...0.1).contains(makerValue), "--maker-fee \(makerValue) is out of range (0 to 0.1)")
        try check((0...0.1).contains(slippage), "--slippage \(slippage) is out of range (0 to 0.1)")
        var risk = bot?.risk ?? RiskSettings(maxPositions: marketCount)
        if bot == nil { risk.maxPositions = marketCount }
        if let stopLoss {
            try check((0.01...99.99).contains(stopLoss), "--stop-loss is out of range (0.01 to 99.99)");
            risk.stopLossPct = stopLoss
        }
        if let takeProfit {
            try check((0.01...10_000).contains(takeProfit), "--take-profit is out of range (0.01 to 10000)");
            risk.takeProfitPct = takeProfit
        }
        if let trailingStop {
            let parts = trailingStop.split(separator: ",").map { Double($0) }
            guard parts.count == 2, let activation = parts[0], let distance = parts[1], activation >= 0,
                (0.01...99.99).contains(distance)
            else {
                throw CLIError(
                    "--trailing-stop '\(trailingStop)' must be ACTIVATION_PCT,TRAILING_PCT with 0 ≤ activation and 0.01 ≤ trailing ≤ 99.99"
                )
            }
            risk.trailingStop = RiskSettings.TrailingStop(activationPct: activation, trailingPct: distance)
        }
        if let timeExit {
            let range = RiskSettings.timeExitMinutesRange
            try check(
                range.contains(timeExit),
                "--time-exit \(timeExit) is out of range (\(range.lowerBound) to \(range.upperBound) minutes)")
            risk.timeExitMinutes = timeExit
        }
        if let maxDailyTrades {
            try check(maxDailyTrades >= 1, "--max-daily-trades must be at least 1");
            risk.maxDailyTrades = maxDailyTrades
        }
        if let maxDailyLoss {
            guard let value = try? FixedPoint(parsing: maxDailyLoss), value.isPositive else {
                throw CLIError("--max-daily-loss '\(maxDailyLoss)' must be a positive amount")
            }
            risk.maxDailyLoss = value
        }
        if let maxDrawdown {
            try check((0.01...100).contains(maxDrawdown), "--max-drawdown is out of range (0.01 to 100)");
            risk.maxDrawdownPct = maxDrawdown
        }
        if let maxPositions {
            try check(maxPositions >= 1, "--max-positions must be at least 1"); risk.maxPositions = maxPositions
        }
        if let maxExposure {
            try check((0.01...10).contains(maxExposure), "--max-exposure is out of range (0.01 to 10)");
            risk.maxExposure = maxExposure
        }
        return BacktestConfiguration(
            initialBalance: balanceValue,
            costs: ExecutionCosts(makerFee: makerValue, takerFee: feeValue, slippage: slippage),
            risk: risk, sizing: try sizingValue(bot: bot, marketCount: marketCount), allowShort: allowShort)
    }

    func sizingValue(bot: BotConfiguration?, marketCount: Int) throws -> PositionSizing {
        guard let sizing else {
            if let bot { return bot.positionSizing }
            return .percentOfEquity(1 / Double(marketCount))
        }
        let usage =
            "--sizing '\(sizing)' must be percent:F (0 < F ≤ 1), fixed:AMOUNT, compounding:FIRST_AMOUNT or risk:FRACTION,ATR_PERIOD,ATR_MULTIPLE"
        let parts = sizing.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw CLIError(usage) }
        switch parts[0] {
        case "percent":
            guard let f = Double(parts[1]), f > 0, f <= 1 else { throw CLIError(usage) }
            return .percentOfEquity(f)
        case "fixed", "compounding":
            guard let amount = try? FixedPoint(parsing: parts[1]), amount.isPositive else { throw CLIError(usage) }
            return parts[0] == "fixed" ? .fixedAmount(amount) : .compounding(initialAmount: amount)
        case "risk":
            let values = parts[1].split(separator: ",").map { Double($0) }
            guard values.count == 3, let r = values[0], let p = values[1], let m = values[2], r > 0, r <= 1, p >= 1,
                p <= 500,
                p == p.rounded(), m > 0
            else { throw CLIError(usage) }
            return .riskPerTrade(riskFraction: r, atrPeriod: Int(p), atrMultiple: m)
        default:
            throw CLIError(usage)
        }
    }
}

/// `--telegram-url` and `--twilio-url`: where the HTTP notification services are.
struct NotificationEndpointOptions: ParsableArguments {
    @Option(help: "Telegram Bot API base URL (a self-hosted Bot API server, or a test server).")
    var telegramURL = "https://api.telegram.org"
    @Option(help: "Twilio API base URL.")
    var twilioURL = "https://api.twilio.com"

    func validate() throws {
        for (name, url) in [("--telegram-url", telegramURL), ("--twilio-url", twilioURL)] {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil
            else {
                throw ValidationError("\(name) '\(url)' must be an http or https URL")
            }
        }
    }

    var endpoints: NotificationSetup.Endpoints { .init(telegram: telegramURL, twilio: twilioURL) }
}
