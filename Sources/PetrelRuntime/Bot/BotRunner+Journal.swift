import PetrelCore

extension BotRunner {
    /// Applies one journal entry to the kernel: the single definition of what each input does, used
    /// both live and when the journal is applied again after a restart, so both give the same state.
    /// - Returns: the strategy's failure on a candle, if it threw (the bar is still completed).
    static func apply(_ entry: BotJournalEntry, to kernel: inout TradingKernel, into actions: inout [KernelAction])
        -> KernelError?
    {
        switch entry {
        case .candle(let candle):
            kernel.beginBar(timestamp: candle.timestamp, into: &actions)
            var failure: KernelError?
            do {
                try kernel.handleCandle(candle, instrument: 0, into: &actions)
            } catch {
                failure = error
            }
            kernel.endOfBar(timestamp: candle.timestamp, into: &actions)
            return failure
        case .warmUp(let candle):
            do {
                try kernel.warmUp(candle, instrument: 0)
            } catch {
                return error
            }
        case .accepted(let id, let venueOrderID, let timestamp):
            kernel.handleOrderAccepted(id, venueOrderID: venueOrderID, at: timestamp)
        case .fill(let fill):
            do {
                try kernel.handleFill(fill, into: &actions)
            } catch {
                return error
            }
        case .closed(let id, let status, let reason, let timestamp):
            kernel.handleOrderClosed(id, status: status, reason: reason, at: timestamp, into: &actions)
        case .halt(let reason, let timestamp):
            kernel.halt(reason: reason, at: timestamp, into: &actions)
        case .paused(let paused, _):
            kernel.entriesPaused = paused
        }
        return nil
    }

    /// Rebuilds the kernel from the journal: a fresh kernel plus every stored input, in order.
    /// The orders those inputs caused were sent by the run that wrote them; only their effect on the
    /// kernel's books is rebuilt here (``recoverLostActions()`` resends what never reached the store).
    func rebuild() async throws(BotCrash) {
        let entries: [BotJournalEntry]
        do {
            entries = try await environment.journal.entries(bot: environment.botID)
        } catch {
            throw BotCrash("the journal of bot \(environment.botID) could not be read: \(error)")
        }
        var actions: [KernelAction] = []
        for entry in entries {
            actions.removeAll(keepingCapacity: true)
            _ = applyToKernel(entry, into: &actions)
            for action in actions {
                if case .cancel(let id, _) = action { cancelsRequested.insert(id) }
                noteOutcome(of: action)
            }
        }
        journalCount = entries.count
        if !entries.isEmpty {
            environment.observe(
                .notice(
                    "rebuilt from \(entries.count) journal entries: cash \(kernel.cash) \(kernel.quoteAsset), "
                        + "\(kernel.positions.filter { !$0.isFlat }.count) open position(s), "
                        + "\(kernel.openOrders.count) open order(s)"))
        }
    }

    /// Writes the entries applied since the last write, in one transaction. A failed write ends the
    /// bot (the kernel is ahead of its journal; the restart rebuilds it from what was stored).
    func flushJournal() async throws(BotCrash) {
        guard !pendingJournal.isEmpty else { return }
        do {
            try await environment.journal.append(pendingJournal, bot: environment.botID, expectedCount: journalCount)
        } catch {
            throw BotCrash("the journal could not be written: \(error)")
        }
        journalCount += pendingJournal.count
        pendingJournal.removeAll(keepingCapacity: true)
    }

    /// Applies an input to the kernel and keeps the status's candle counters in step with it (live
    /// and when the journal is applied again).
    func applyToKernel(_ entry: BotJournalEntry, into actions: inout [KernelAction]) -> KernelError? {
        let failure = Self.apply(entry, to: &kernel, into: &actions)
        if let candle = entry.candle {
            lastCandleTime = candle.timestamp
            lastPrice = candle.close
            dataPoints += 1
        }
        return failure
    }

    /// Keeps the status's signal, skip and trade counters in step with a kernel action (live and
    /// when the journal is applied again).
    func noteOutcome(of action: KernelAction) {
        switch action {
        case .signal(_, let signal, let timestamp):
            lastSignal = BotStatus.LastSignal(
                action: signal.action.rawValue, reasoning: signal.reasoning, timestamp: timestamp)
        case .skipped(_, let reason, _):
            lastSkip = reason
        case .tradeClosed(let trade):
            closedTrades += 1
            realizedPnL = (try? realizedPnL.adding(trade.netPnL)) ?? realizedPnL
        case .submit, .cancel, .tradingStateChanged:
            break
        }
    }

    /// Applies an input live: to the kernel and to the journal (written by the next flush).
    @discardableResult
    func record(_ entry: BotJournalEntry, into actions: inout [KernelAction]) -> KernelError? {
        let failure = applyToKernel(entry, into: &actions)
        pendingJournal.append(entry)
        return failure
    }
}
