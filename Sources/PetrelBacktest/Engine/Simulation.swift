import PetrelCore
import PetrelRuntime

/// The mutable state of one backtest run and its event loop.
struct Simulation {
    var kernel: TradingKernel
    var exchange: SimulatedExchange
    let symbols: [Symbol]
    let symbolIndex: [Symbol: Int]
    var actions: [KernelAction] = []
    var spareActions: [KernelAction] = []
    var events: [ExchangeEvent] = []
    var spareEvents: [ExchangeEvent] = []
    var records: [OrderRecord] = []
    var filledNotional: [Money] = []
    var recordIndex: [ClientOrderID: Int] = [:]
    var trades: [ClosedTrade] = []
    var journal: [JournalEntry] = []
    var journalDropped = 0
    let journalLimit: Int
    var equity: [Double] = []
    var timestamps: [Int64] = []
    var barsInMarket = 0
    var currentTimestamp: Int64 = 0

    init(kernel: TradingKernel, exchange: SimulatedExchange, symbols: [Symbol], journalLimit: Int) {
        self.kernel = kernel
        self.exchange = exchange
        self.symbols = symbols
        self.symbolIndex = Dictionary(uniqueKeysWithValues: symbols.enumerated().map { ($1, $0) })
        self.journalLimit = journalLimit
        actions.reserveCapacity(16)
        spareActions.reserveCapacity(16)
        events.reserveCapacity(16)
        spareEvents.reserveCapacity(16)
    }

    mutating func runSingle(_ candles: UnsafeBufferPointer<Candle>, progress: ((Int, Int) -> Void)?)
        throws(BacktestError)
    {
        equity.reserveCapacity(candles.count)
        timestamps.reserveCapacity(candles.count)
        let every = Swift.max(1, candles.count / 100)
        for (offset, candle) in candles.enumerated() {
            try step(timestamp: candle.timestamp, single: candle)
            if let progress, offset % every == 0 { progress(offset, candles.count) }
        }
        progress?(candles.count, candles.count)
    }

    mutating func runMerged(_ series: [[Candle]], progress: ((Int, Int) -> Void)?) throws(BacktestError) {
        var cursors = Array(repeating: 0, count: series.count)
        let total = series.reduce(0) { $0 + $1.count }
        var done = 0
        var due: [(Int, Candle)] = []
        while true {
            var next = Int64.max
            for (index, candles) in series.enumerated() where cursors[index] < candles.count {
                next = Swift.min(next, candles[cursors[index]].timestamp)
            }
            guard next != .max else { break }
            due.removeAll(keepingCapacity: true)
            for (index, candles) in series.enumerated() where cursors[index] < candles.count {
                if candles[cursors[index]].timestamp == next {
                    due.append((index, candles[cursors[index]]))
                    cursors[index] += 1
                }
            }
            try step(timestamp: next, due: due)
            done += due.count
            progress?(done, total)
        }
    }

    @inline(__always)
    mutating func step(timestamp: Int64, single candle: Candle) throws(BacktestError) {
        currentTimestamp = timestamp
        kernel.beginBar(timestamp: timestamp, into: &actions)
        // `match` returns at once on an empty book; reading a computed property of the exchange
        // here instead would copy the whole struct every bar.
        exchange.match(candle, instrument: 0, cash: kernel.cash, into: &events)
        try settle(matching: candle, instrument: 0)
        do {
            try kernel.handleCandle(candle, instrument: 0, into: &actions)
        } catch {
            throw .kernel(error)
        }
        try endStep(timestamp: timestamp)
    }

    mutating func step(timestamp: Int64, due: [(Int, Candle)]) throws(BacktestError) {
        currentTimestamp = timestamp
        kernel.beginBar(timestamp: timestamp, into: &actions)
        for (index, candle) in due {
            exchange.match(candle, instrument: index, cash: kernel.cash, into: &events)
            try settle(matching: candle, instrument: index)
        }
        for (index, candle) in due {
            do {
                try kernel.handleCandle(candle, instrument: index, into: &actions)
            } catch {
                throw .kernel(error)
            }
        }
        try endStep(timestamp: timestamp)
    }

    @inline(__always)
    mutating func endStep(timestamp: Int64) throws(BacktestError) {
        try settle(matching: nil, instrument: -1)
        let bar = kernel.endOfBarSummary(timestamp: timestamp, into: &actions)
        try settle(matching: nil, instrument: -1)
        equity.append(bar.equity.doubleValue)
        timestamps.append(timestamp)
        if bar.hasOpenPosition { barsInMarket += 1 }
    }

    /// Performs kernel actions and delivers exchange events until both queues are empty.
    /// - Parameters:
    ///   - candle: the candle being matched (orders for `instrument` sent now fill inside it), or `nil` at a close.
    mutating func settle(matching candle: Candle?, instrument: Int) throws(BacktestError) {
        while !actions.isEmpty || !events.isEmpty {
            swap(&actions, &spareActions)
            for action in spareActions { perform(action, matching: candle, instrument: instrument) }
            spareActions.removeAll(keepingCapacity: true)
            swap(&events, &spareEvents)
            for event in spareEvents { try deliver(event) }
            spareEvents.removeAll(keepingCapacity: true)
        }
    }

    mutating func perform(_ action: KernelAction, matching candle: Candle?, instrument: Int) {
        switch action {
        case .submit(let order):
            let index = symbolIndex[order.symbol] ?? 0
            recordIndex[order.clientOrderID] = records.count
            records.append(OrderRecord(order: order))
            filledNotional.append(.zero)
            exchange.submit(
                order, instrument: index, during: index == instrument ? candle : nil, cash: kernel.cash,
                timestamp: candle?.timestamp ?? order.createdAt, into: &events)
        case .cancel(let id, _):
            exchange.cancel(id, timestamp: candle?.timestamp ?? currentTimestamp, into: &events)
        case .signal(let symbol, let signal, let timestamp):
            note(timestamp, symbol, "signal", "\(signal.action.rawValue): \(signal.reasoning)")
        case .skipped(let symbol, let reason, let timestamp):
            note(timestamp, symbol, "skipped", reason)
        case .tradingStateChanged(let state, let reason, let timestamp):
            note(timestamp, nil, "state", "\(state.rawValue): \(reason)")
        case .tradeClosed(let trade):
            trades.append(trade)
        }
    }

    mutating func deliver(_ event: ExchangeEvent) throws(BacktestError) {
        switch event {
        case .accepted(let id, let venueID, let timestamp):
            kernel.handleOrderAccepted(id, venueOrderID: venueID, at: timestamp)
            update(id) { $0.status = $0.status == .submitted ? .accepted : $0.status }
        case .rejected(let id, let reason, let timestamp):
            kernel.handleOrderClosed(id, status: .rejected, reason: reason, at: timestamp, into: &actions)
            update(id) {
                $0.status = .rejected
                $0.reason = reason
                $0.updatedAt = timestamp
            }
        case .cancelled(let id, let reason, let timestamp):
            kernel.handleOrderClosed(id, status: .cancelled, reason: reason, at: timestamp, into: &actions)
            update(id) {
                if !$0.status.isTerminal { $0.status = .cancelled }
                $0.reason = reason
                $0.updatedAt = timestamp
            }
        case .filled(let fill):
            do {
                try kernel.handleFill(fill, into: &actions)
            } catch {
                throw .kernel(error)
            }
            if let index = recordIndex[fill.clientOrderID] {
                filledNotional[index] += (try? fill.price.multiplied(by: fill.quantity)) ?? .zero
                records[index].filledQuantity += fill.quantity
                records[index].fees += fill.fee
                records[index].averageFillPrice = try? filledNotional[index].divided(by: records[index].filledQuantity)
                records[index].status =
                    records[index].filledQuantity == records[index].quantity ? .filled : .partiallyFilled
                records[index].updatedAt = fill.timestamp
            }
        }
    }

    mutating func update(_ id: ClientOrderID, _ change: (inout OrderRecord) -> Void) {
        guard let index = recordIndex[id] else { return }
        change(&records[index])
    }

    mutating func note(_ timestamp: Int64, _ symbol: Symbol?, _ kind: String, _ message: String) {
        guard journal.count < journalLimit else {
            journalDropped += 1
            return
        }
        journal.append(JournalEntry(timestamp: timestamp, symbol: symbol?.description, kind: kind, message: message))
    }
}
