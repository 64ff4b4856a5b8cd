import PetrelCore
import PetrelIndicators

/// The bot's brain: a synchronous, deterministic state machine shared by backtests, paper and live
/// trading (DESIGN §1.1).
///
/// Its driver feeds it events in time order — ``beginBar(timestamp:into:)``, order
/// acknowledgements and ``handleFill(_:into:)`` from the exchange, ``handleCandle(_:instrument:into:)``
/// at each close, ``endOfBar(timestamp:into:)`` — and performs the ``KernelAction``s it appends.
/// It owns the account view (cash and positions from fills), the strategies, the protective
/// orders (stop-loss, take-profit, trailing stop) and the risk limits. It never reads a clock and
/// never allocates per bar unless it acts.
public struct TradingKernel: Sendable {
    struct TrackedOrder: Sendable {
        var order: Order
        var slot: Int
        var purpose: OrderPurpose
    }

    struct OpenTrade: Sendable {
        var isLong: Bool
        var entryTime: Int64
        var entryBar: Int
        var entryQuantity: Quantity = .zero
        var entryNotional: Money = .zero
        var exitQuantity: Quantity = .zero
        var exitNotional: Money = .zero
        var fees: Money = .zero
        var maxQuantity: Quantity = .zero
        var reasoning: String
    }

    struct Slot: Sendable {
        var rules: InstrumentRules
        var strategy: any Strategy
        var position: Position
        var lastClose: Price = .zero
        var barIndex = -1
        var atr: ATR?
        var stopOrderID: ClientOrderID?
        var stopLevel: Price?
        var takeProfitOrderID: ClientOrderID?
        /// The take-profit level watched by the kernel (client-side protection).
        var takeProfitLevel: Price?
        var bestPrice: Price = .zero
        var trailingActive = false
        var pendingEntry: ClientOrderID?
        var pendingExit: ClientOrderID?
        var pendingReasoning = ""
        /// The signal behind ``pendingEntry`` and the retries it has left, for a venue refusal.
        var pendingEntrySignal: EntryRetry?
        /// An entry refused for insufficient balance, to try again on the next candle.
        var entryRetry: EntryRetry?
        var trade: OpenTrade?
        var timeframe: Timeframe?
    }

    /// An entry signal with the number of further intervals on which it may be retried.
    struct EntryRetry: Sendable {
        var signal: Signal
        var retriesLeft: Int
    }

    public let configuration: KernelConfiguration
    public internal(set) var tradingState: TradingState = .active
    /// Quote-asset cash after every fill.
    public internal(set) var cash: Money
    /// Highest equity seen at a bar's end.
    public internal(set) var peakEquity: Money
    /// Equity at the last ``endOfBar(timestamp:into:)``.
    public internal(set) var lastEquity: Money
    /// Entries sent in the current UTC day.
    public internal(set) var dailyEntries = 0
    /// Total fees paid.
    public internal(set) var totalFees: Money = .zero
    /// A paused bot takes no new entries; exits, stops and take-profits still work.
    public var entriesPaused = false
    var slots: [Slot]
    var orders: [ClientOrderID: TrackedOrder] = [:]
    var appliedTradeIDs: Set<String> = []
    var sequence: UInt64 = 0
    var currentDay: Int64 = .min
    var dayStartEquity: Money
    var hasEntered = false

    /// Creates a kernel for one bot.
    /// - Parameters:
    ///   - configuration: limits, sizing and starting cash.
    ///   - instruments: the symbols it trades, each with its own strategy instance; all must share
    ///     one quote asset (the account currency).
    /// - Throws: ``KernelError/mixedQuoteAssets(_:)`` or ``KernelError/noInstruments``.
    public init(configuration: KernelConfiguration, instruments: [KernelInstrument]) throws(KernelError) {
        guard let first = instruments.first else { throw .noInstruments }
        let quotes = Set(instruments.map(\.rules.symbol.quote))
        guard quotes.count == 1 else { throw .mixedQuoteAssets(quotes.sorted()) }
        self.configuration = configuration
        self.cash = configuration.initialCash
        self.sequence = configuration.lastOrderSequence
        self.peakEquity = configuration.initialCash
        self.lastEquity = configuration.initialCash
        self.dayStartEquity = configuration.initialCash
        _ = first
        self.slots = instruments.map { instrument in
            var slot = Slot(
                rules: instrument.rules, strategy: instrument.strategy,
                position: Position(symbol: instrument.rules.symbol, contractValue: instrument.rules.contractValue))
            slot.timeframe = instrument.timeframe
            if case .riskPerTrade(_, let period, _) = configuration.sizing { slot.atr = ATR(period: period) }
            return slot
        }
    }

    /// The last order sequence number used (persist it with the orders; see
    /// ``KernelConfiguration/lastOrderSequence``).
    public var orderSequence: UInt64 { sequence }

    /// The account currency.
    public var quoteAsset: String { slots[0].rules.symbol.quote }

    /// Positions by instrument index.
    public var positions: [Position] { slots.map(\.position) }

    /// Orders not yet in a terminal status.
    public var openOrders: [Order] { orders.values.map(\.order).sorted { $0.clientOrderID < $1.clientOrderID } }

    /// Number of instruments.
    public var instrumentCount: Int { slots.count }

    /// Cash plus the market value of every position at its last close.
    /// - Complexity: O(instruments), no copies of per-instrument state.
    public var equity: Money {
        var total = cash
        for index in slots.indices where !slots[index].position.isFlat {
            total += (try? slots[index].position.marketValue(at: slots[index].lastClose)) ?? .zero
        }
        return total
    }

    /// Gross value of all positions at their last closes.
    public var grossExposure: Money {
        var total = Money.zero
        for index in slots.indices where !slots[index].position.isFlat {
            total += ((try? slots[index].position.marketValue(at: slots[index].lastClose)) ?? .zero).magnitude
        }
        return total
    }

    /// Starts a new bar: rolls the UTC day (resets the daily trade count, re-arms a bot reduced by
    /// the daily limits).
    public mutating func beginBar(timestamp: Int64, into actions: inout [KernelAction]) {
        let day = timestamp >= 0 ? timestamp / 86_400_000 : (timestamp - 86_399_999) / 86_400_000
        guard day != currentDay else { return }
        currentDay = day
        dailyEntries = 0
        dayStartEquity = lastEquity
        if tradingState == .reducing {
            tradingState = .active
            actions.append(.tradingStateChanged(.active, reason: "new UTC day", timestamp: timestamp))
        }
    }

    /// Ends a bar: marks equity, halts on the drawdown limit and reduces on the daily loss limit.
    /// - Returns: equity at the bar's close.
    @discardableResult
    public mutating func endOfBar(timestamp: Int64, into actions: inout [KernelAction]) -> Money {
        endOfBarSummary(timestamp: timestamp, into: &actions).equity
    }

    /// What a bar ended with: equity and whether any position is open.
    public struct BarSummary: Sendable, Hashable {
        public var equity: Money
        public var hasOpenPosition: Bool
    }

    /// ``endOfBar(timestamp:into:)`` that also says whether a position is open, computed in the same
    /// pass (the backtester's per-bar call: reading the kernel's properties from outside would copy it).
    public mutating func endOfBarSummary(timestamp: Int64, into actions: inout [KernelAction]) -> BarSummary {
        var current = cash
        var open = false
        for index in slots.indices where !slots[index].position.quantity.isZero {
            open = true
            current += (try? slots[index].position.marketValue(at: slots[index].lastClose)) ?? .zero
        }
        lastEquity = current
        if current > peakEquity { peakEquity = current }
        let risk = configuration.risk
        if tradingState != .halted, let limit = risk.maxDrawdownPct, peakEquity.isPositive {
            let drawdown = (peakEquity.doubleValue - current.doubleValue) / peakEquity.doubleValue * 100
            if drawdown >= limit {
                halt(
                    reason: "max drawdown \(limit)% reached (\(Self.percent(drawdown))% from peak)", at: timestamp,
                    into: &actions)
            }
        }
        if tradingState == .active, let limit = risk.maxDailyLoss, dayStartEquity - current >= limit {
            tradingState = .reducing
            actions.append(
                .tradingStateChanged(
                    .reducing, reason: "max daily loss \(limit) reached (lost \(dayStartEquity - current) today)",
                    timestamp: timestamp))
        }
        return BarSummary(equity: current, hasOpenPosition: open)
    }

    /// The kill switch: cancels every order, closes every position and stops new entries.
    public mutating func halt(reason: String, at timestamp: Int64, into actions: inout [KernelAction]) {
        guard tradingState != .halted else { return }
        tradingState = .halted
        actions.append(.tradingStateChanged(.halted, reason: reason, timestamp: timestamp))
        for (id, tracked) in orders.sorted(by: { $0.key < $1.key }) where tracked.order.status.isOpen {
            actions.append(.cancel(id, symbol: tracked.order.symbol))
        }
        for index in slots.indices where !slots[index].position.isFlat {
            slots[index].pendingExit = nil
            submitClose(slot: index, purpose: .riskExit, reasoning: reason, at: timestamp, into: &actions)
        }
    }

    static func percent(_ value: Double) -> String {
        String((value * 100).rounded() / 100)
    }
}

/// A kernel that cannot be built or an event it cannot accept.
public enum KernelError: Error, Sendable, CustomStringConvertible {
    case noInstruments
    case mixedQuoteAssets([String])
    case unknownInstrument(Int)
    case arithmetic(FixedPointError)
    case order(OrderError)
    case strategyFailed(symbol: Symbol, timestamp: Int64, message: String)

    public var description: String {
        switch self {
        case .noInstruments: return "a bot needs at least one instrument"
        case .mixedQuoteAssets(let quotes):
            return "all instruments of a bot must share one quote asset; got \(quotes.joined(separator: ", "))"
        case .unknownInstrument(let index): return "no instrument at index \(index)"
        case .arithmetic(let error): return error.description
        case .order(let error): return error.description
        case .strategyFailed(let symbol, let timestamp, let message):
            return "strategy for \(symbol) failed at \(CivilDate.iso8601(milliseconds: timestamp)): \(message)"
        }
    }
}
