import PetrelCore
import PetrelRuntime
import Synchronization

/// A strategy that emits given signals at given bar indices, for scenarios computed by hand.
///
/// It ignores prices entirely: the signal at bar `i` is whatever the script says, so a test
/// controls exactly when orders are sent (at that candle's close) and can predict their fills.
public struct ScriptedStrategy: Strategy {
    /// Signals by bar index (0-based, per symbol).
    public var script: [Int: Signal]
    /// The bar at which `onCandle` throws ``ScriptedStrategyError``, if any.
    public var failingBar: Int?
    /// Receives every context the kernel passes (shared by copies).
    public var log: StrategyContextLog?

    /// Creates a script from actions; each signal's reasoning is `scripted <action> at bar <i>`.
    /// - Parameters:
    ///   - actions: what to do at which bar.
    ///   - failingBar: a bar at which the strategy throws.
    ///   - log: where to record the contexts seen.
    public init(_ actions: [Int: Signal.Action], failingBar: Int? = nil, log: StrategyContextLog? = nil) {
        self.script = actions.reduce(into: [:]) { script, entry in
            script[entry.key] = Signal(entry.value, reasoning: "scripted \(entry.value.rawValue) at bar \(entry.key)")
        }
        self.failingBar = failingBar
        self.log = log
    }

    /// Creates a script from complete signals (reasoning, size fraction, limit price).
    /// - Parameters:
    ///   - signals: the signal to emit at each bar.
    ///   - failingBar: a bar at which the strategy throws.
    ///   - log: where to record the contexts seen.
    public init(signals: [Int: Signal], failingBar: Int? = nil, log: StrategyContextLog? = nil) {
        self.script = signals
        self.failingBar = failingBar
        self.log = log
    }

    public var warmUpBars: Int { 0 }

    public mutating func onCandle(_ candle: Candle, context: StrategyContext) throws -> Signal? {
        log?.append(context)
        if context.barIndex == failingBar {
            throw ScriptedStrategyError(message: "scripted failure at bar \(context.barIndex)")
        }
        return script[context.barIndex]
    }
}

/// The error a ``ScriptedStrategy`` throws at its failing bar.
public struct ScriptedStrategyError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public var description: String { message }
}

/// Every ``StrategyContext`` a strategy was shown, in order; safe to share between copies of a strategy.
public final class StrategyContextLog: Sendable {
    private let storage = Mutex<[StrategyContext]>([])

    public init() {}

    /// Records one context.
    public func append(_ context: StrategyContext) {
        storage.withLock { $0.append(context) }
    }

    /// The contexts recorded so far.
    public var contexts: [StrategyContext] { storage.withLock { $0 } }
}
