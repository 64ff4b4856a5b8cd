import Foundation
import PetrelCore
import PetrelRuntime
import PetrelStrategies

/// What `petrel config validate` tells about a valid file: the settings a bot will actually run
/// with, defaults included. Secrets appear by variable name only, with whether the variable is set.
struct ConfigSummary: Encodable {
    struct Broker: Encodable {
        var type: String
        var initialBalance: String
        var commission: Double
        var account: String?
        var baseURL: String?
        var wsURL: String?
    }

    struct Market: Encodable {
        var symbol: String
        var timeframe: String
        var dataSource: String
        var lookbackBars: Int
        var retryInterval: Int
        var file: String?
        var speed: String?
    }

    struct Parameter: Encodable {
        var name: String
        var value: ParameterValue
        var isDefault: Bool
    }

    struct Strategy: Encodable {
        var name: String
        var parameters: [Parameter]
    }

    struct TrailingStop: Encodable {
        var activationPct: Double
        var trailingPct: Double
    }

    struct Risk: Encodable {
        var positionSize: Double
        var sizing: String
        var tradeAmount: String?
        var maxPositions: Int
        var maxExposure: Double?
        var maxDrawdownPct: Double?
        var stopLossPct: Double?
        var takeProfitPct: Double?
        var trailingStop: TrailingStop?
        var maxDailyTrades: Int?
        var maxDailyLoss: String?
        var timeExitMinutes: Int?
    }

    struct Pair: Encodable {
        var symbol: String
        var priority: Int
        var enabled: Bool
    }

    struct Portfolio: Encodable {
        var riskTolerance: Double
        var minConfidence: Double
        var tradeSizeAmount: String?
        var tradeSizePercentage: Double?
        var checkIntervalSeconds: Int
        var cacheTtlSeconds: Int
        var volatilityWindow: Int
        var tradeHistoryRetention: Int
    }

    struct Channel: Encodable {
        var name: String
        var events: [String]
    }

    struct Logging: Encodable {
        var level: String
        var logFile: String?
        var saveTrades: Bool
        var saveEquityCurve: Bool
    }

    struct Secret: Encodable {
        var path: String
        var name: String
        var isSet: Bool
    }

    var botType: String
    var description: String?
    var broker: Broker
    var market: Market?
    var strategy: Strategy?
    var risk: Risk?
    var pairs: [Pair]?
    var portfolio: Portfolio?
    var notifications: [Channel]
    var logging: Logging?
    var secrets: [Secret]

    init(_ bot: BotConfiguration, selection: StrategySelection, environment: [String: String]) {
        botType = BotType.strategy.rawValue
        description = bot.description
        broker = Self.broker(bot.broker)
        let data = bot.data
        market = Market(
            symbol: data.symbol.description, timeframe: data.interval.rawValue, dataSource: data.dataSource.rawValue,
            lookbackBars: data.lookbackBars, retryInterval: data.retryInterval, file: data.file,
            speed: data.speed.map {
                switch $0 {
                case .unlimited: return "max"
                case .multiple(let m): return "\(Self.number(m))x"
                }
            })
        strategy = Strategy(
            name: selection.descriptor.name,
            parameters: selection.descriptor.schema.parameters.map {
                Parameter(
                    name: $0.name, value: selection.resolved.values[$0.name] ?? $0.defaultValue,
                    isDefault: selection.values[$0.name] == nil)
            })
        let r = bot.risk
        risk = Risk(
            positionSize: bot.effectivePositionSize, sizing: bot.trading.sizing.rawValue,
            tradeAmount: bot.trading.tradeAmount?.description, maxPositions: r.maxPositions, maxExposure: r.maxExposure,
            maxDrawdownPct: r.maxDrawdownPct, stopLossPct: r.stopLossPct, takeProfitPct: r.takeProfitPct,
            trailingStop: r.trailingStop.map {
                TrailingStop(activationPct: $0.activationPct, trailingPct: $0.trailingPct)
            },
            maxDailyTrades: r.maxDailyTrades, maxDailyLoss: r.maxDailyLoss?.description,
            timeExitMinutes: r.timeExitMinutes)
        notifications = Self.channels(bot.notifications)
        logging = Self.logging(bot.logging)
        secrets = Self.secrets(bot.secrets, environment)
    }

    init(_ bot: PortfolioBotConfiguration, environment: [String: String]) {
        botType = BotType.portfolio.rawValue
        description = bot.description
        broker = Self.broker(bot.broker)
        pairs = bot.tradingPairs.map {
            Pair(symbol: $0.symbol.description, priority: $0.priority, enabled: $0.isEnabled)
        }
        var amount: String?
        var fraction: Double?
        switch bot.tradeSize {
        case .amount(let a): amount = a.description
        case .fraction(let f): fraction = f
        }
        portfolio = Portfolio(
            riskTolerance: bot.riskTolerance, minConfidence: bot.minConfidence, tradeSizeAmount: amount,
            tradeSizePercentage: fraction, checkIntervalSeconds: bot.checkIntervalSeconds,
            cacheTtlSeconds: bot.cacheTTLSeconds, volatilityWindow: bot.volatilityWindow,
            tradeHistoryRetention: bot.tradeHistoryRetention)
        notifications = Self.channels(bot.notifications)
        logging = Self.logging(bot.logging)
        secrets = Self.secrets(bot.secrets, environment)
    }

    static func broker(_ b: BotConfiguration.Broker) -> Broker {
        Broker(
            type: b.type.rawValue, initialBalance: b.initialBalance.description, commission: b.commission,
            account: b.account, baseURL: b.baseURL, wsURL: b.wsURL)
    }

    static func channels(_ notifications: BotConfiguration.Notifications?) -> [Channel] {
        (notifications?.activeChannels ?? []).map { Channel(name: $0.name, events: $0.channel.notifyOn) }
    }

    static func logging(_ l: BotConfiguration.Logging?) -> Logging? {
        l.map {
            Logging(
                level: $0.level, logFile: $0.logFile, saveTrades: $0.saveTrades, saveEquityCurve: $0.saveEquityCurve)
        }
    }

    static func secrets(_ secrets: [ConfigSecret], _ environment: [String: String]) -> [Secret] {
        secrets.map {
            Secret(
                path: $0.path, name: $0.reference.name,
                isSet: (try? $0.reference.resolve(in: environment)) != nil)
        }
    }

    /// `0.001` → `0.001`, `20.0` → `20`, without exponents.
    static func number(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
        var text = String(format: "%.8f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// A fraction as a percentage: `0.1` → `10%`.
    static func percent(_ fraction: Double) -> String { "\(number(fraction * 100))%" }
}
