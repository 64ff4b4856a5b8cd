import PetrelCore
import PetrelIndicators
import PetrelRuntime

/// `ma_crossover`: long when the fast moving average crosses above the slow one, out (or short,
/// when the bot allows shorts) when it crosses below.
public struct MovingAverageCrossover: Strategy {
    enum Average: Sendable {
        case simple(SMA)
        case exponential(EMA)

        mutating func update(_ value: Double) -> Double? {
            switch self {
            case .simple(var sma):
                defer { self = .simple(sma) }
                return sma.update(value)
            case .exponential(var ema):
                defer { self = .exponential(ema) }
                return ema.update(value)
            }
        }

        var warmUp: Int {
            switch self {
            case .simple(let sma): return sma.warmUpPeriod
            case .exponential(let ema): return ema.warmUpPeriod
            }
        }
    }

    var fast: Average
    var slow: Average
    var cross = CrossTracker()
    let kind: String

    public static let descriptor = StrategyDescriptor(
        name: "ma_crossover", summary: "fast/slow moving-average crossover (golden and death crosses)",
        schema: ParameterSchema([
            .integer("fast_period", default: 20, range: 1...1_000, "fast moving-average period"),
            .integer("slow_period", default: 50, range: 2...5_000, "slow moving-average period (greater than fast)"),
            .choice("ma_type", default: "ema", ["sma", "ema"], "moving-average type"),
        ]),
        make: { p in
            let fast = p.integer("fast_period")
            let slow = p.integer("slow_period")
            guard fast < slow else {
                throw ParameterError.invalidValue(
                    name: "fast_period", value: String(fast), allowed: "an integer below slow_period (\(slow))")
            }
            return MovingAverageCrossover(fastPeriod: fast, slowPeriod: slow, type: p.text("ma_type"))
        })

    public init(fastPeriod: Int = 20, slowPeriod: Int = 50, type: String = "ema") {
        kind = type == "sma" ? "SMA" : "EMA"
        fast = type == "sma" ? .simple(SMA(period: fastPeriod)) : .exponential(EMA(period: fastPeriod))
        slow = type == "sma" ? .simple(SMA(period: slowPeriod)) : .exponential(EMA(period: slowPeriod))
    }

    public var warmUpBars: Int { Swift.max(fast.warmUp, slow.warmUp) + 1 }

    public mutating func onCandle(_ candle: Candle, context: StrategyContext) throws -> Signal? {
        let close = candle.close.doubleValue
        let f = fast.update(close)
        guard let s = slow.update(close), let f else { return nil }
        switch cross.update(f, s) {
        case 1:
            if context.isShort {
                return Signal(
                    .exitShort, reasoning: "golden cross: fast \(kind) \(fmt(f)) crossed above slow \(kind) \(fmt(s))")
            }
            return Signal(
                .enterLong, reasoning: "golden cross: fast \(kind) \(fmt(f)) crossed above slow \(kind) \(fmt(s))")
        case -1:
            if context.isLong {
                return Signal(
                    .exitLong, reasoning: "death cross: fast \(kind) \(fmt(f)) crossed below slow \(kind) \(fmt(s))")
            }
            return Signal(
                .enterShort, reasoning: "death cross: fast \(kind) \(fmt(f)) crossed below slow \(kind) \(fmt(s))")
        default:
            return nil
        }
    }
}
