import PetrelCore
import PetrelRuntime
import Synchronization

/// A fault drill for the supervisor: `PETREL_STRATEGY_FAULT` makes the bot's strategy throw once,
/// as a buggy strategy would, so a crash, the restart and the protective orders that keep working
/// meanwhile can be rehearsed on the real binary.
///
/// Values: `in_position` (the first candle the strategy sees with a position open) or `bar:N`
/// (the strategy's candle number N, counting warm-up candles from 0). The strategy throws once per
/// process; the restarted bot replays that candle without the fault.
final class StrategyFaultDrill: Sendable {
    static let variable = "PETREL_STRATEGY_FAULT"

    enum Trigger: Sendable, Equatable {
        case inPosition
        case bar(Int)
    }

    let trigger: Trigger
    private let fired = Mutex(false)

    /// `nil` when the variable is unset or empty.
    /// - Throws: ``BotSetupError`` naming the variable and the allowed values.
    init?(environment: [String: String]) throws(BotSetupError) {
        guard let text = environment[Self.variable], !text.isEmpty else { return nil }
        if text == "in_position" {
            trigger = .inPosition
        } else if text.hasPrefix("bar:"), let bar = Int(text.dropFirst(4)), bar >= 0 {
            trigger = .bar(bar)
        } else {
            throw BotSetupError(
                "\(Self.variable) '\(text)' is not allowed; expected 'in_position' or 'bar:N' with N a candle number from 0",
                field: Self.variable)
        }
    }

    /// Whether the strategy must throw now (true once).
    func fires(context: StrategyContext) -> Bool {
        let due: Bool
        switch trigger {
        case .inPosition: due = !context.isFlat
        case .bar(let bar): due = context.barIndex == bar
        }
        guard due else { return false }
        return fired.withLock { done in
            defer { done = true }
            return !done
        }
    }

    /// `strategy`, throwing once when the drill fires.
    func wrap(_ strategy: any Strategy) -> any Strategy { DrilledStrategy(inner: strategy, drill: self) }
}

extension StrategyFaultDrill? {
    /// `strategy` wrapped by the drill, or as it is without one.
    func wrap(_ strategy: any Strategy) -> any Strategy { self?.wrap(strategy) ?? strategy }
}

/// The error the drilled strategy throws.
struct StrategyFaultDrillError: Error, CustomStringConvertible {
    var barIndex: Int
    var description: String { "fault drill (\(StrategyFaultDrill.variable)): the strategy threw at candle \(barIndex)" }
}

/// A strategy that throws when its drill fires and otherwise is `inner`.
struct DrilledStrategy: Strategy {
    var inner: any Strategy
    let drill: StrategyFaultDrill

    var warmUpBars: Int { inner.warmUpBars }

    mutating func onCandle(_ candle: Candle, context: StrategyContext) throws -> Signal? {
        if drill.fires(context: context) { throw StrategyFaultDrillError(barIndex: context.barIndex) }
        return try inner.onCandle(candle, context: context)
    }

    mutating func onFill(_ fill: Fill, context: StrategyContext) {
        inner.onFill(fill, context: context)
    }
}
