import PetrelCore

/// Applies a bot's stored journal to a fresh kernel, outside any runner: what the analytics read
/// (closed trades, final books) without running the bot. Uses the same definition of each input as
/// the live runner and its restart, so the trades found are the ones the bot made.
public enum JournalReplay {
    /// What replaying a journal produced.
    public struct Outcome: Sendable {
        /// Round trips in exit order.
        public var trades: [ClosedTrade]
        /// Open positions after the last entry.
        public var positions: [Position]
        /// Candles applied (live and warm-up).
        public var candles: Int
        /// Close of the last candle applied.
        public var lastPrice: Price?
    }

    /// Replays `entries` in order on `kernel`.
    /// - Parameters:
    ///   - entries: the journal, oldest first.
    ///   - kernel: a fresh kernel built with the bot's configuration and strategy.
    /// - Returns: the closed trades and the final books. Inputs the kernel refused (as it did live)
    ///   are skipped the same way.
    public static func replay(_ entries: [BotJournalEntry], on kernel: inout TradingKernel) -> Outcome {
        var outcome = Outcome(trades: [], positions: [], candles: 0, lastPrice: nil)
        var actions: [KernelAction] = []
        for entry in entries {
            actions.removeAll(keepingCapacity: true)
            _ = BotRunner.apply(entry, to: &kernel, into: &actions)
            if let candle = entry.candle {
                outcome.candles += 1
                outcome.lastPrice = candle.close
            }
            for action in actions {
                if case .tradeClosed(let trade) = action { outcome.trades.append(trade) }
            }
        }
        outcome.positions = kernel.positions.filter { !$0.isFlat }
        return outcome
    }
}
