import PetrelCore

/// A deterministic matching simulator over candles.
///
/// Rules (documented in `docs/backtesting.md`):
/// - Orders sent at a candle's close rest until the next candle. Market orders fill at that
///   candle's open, moved against the trader by the slippage fraction and rounded to the tick
///   away from the trader. Taker fee.
/// - A resting limit order fills when the candle touches its price: at the open if the open is
///   already better, else at the limit price (maker fee). A stop triggers when the candle
///   touches its stop: at the open if it gapped through, else at the stop price, plus slippage
///   (taker fee). A stop-limit then behaves as a limit at its price.
/// - Within one candle the path is assumed adverse: fills at the open first, then stop orders
///   before limit orders, so when a position's stop-loss and take-profit are both inside one
///   candle's range the stop-loss wins.
/// - Orders sent while a candle is being matched (protective orders after an entry fill) are
///   matched against the rest of that candle, never at its open.
/// - Reduce-only orders never open or flip a position: they are cut to the position's size, or
///   cancelled when there is nothing to reduce. Buys that would cost more than the available cash
///   are cut to what it affords (the simulated `quoteOrderQty`), or rejected below the minimums.
/// - Quantities are rounded down to the lot step and validated against the instrument rules.
public struct SimulatedExchange: Sendable {
    struct Resting: Sendable {
        var order: Order
        var instrument: Int
        var triggered: Bool
    }

    public let costs: ExecutionCosts
    let rules: [InstrumentRules]
    var book: [Resting] = []
    /// Net position per instrument as the exchange sees it (for reduce-only).
    public internal(set) var netPositions: [Quantity]
    var tradeSequence: UInt64 = 0
    let slippageFactor: (up: FixedPoint, down: FixedPoint)
    let makerRate: FixedPoint
    let takerRate: FixedPoint

    /// Creates an exchange for these instruments (indexed as in the kernel).
    /// - Throws: ``FixedPointError`` when a rate is not finite.
    public init(rules: [InstrumentRules], costs: ExecutionCosts) throws(FixedPointError) {
        self.rules = rules
        self.costs = costs
        self.netPositions = Array(repeating: .zero, count: rules.count)
        self.slippageFactor = (
            try FixedPoint(approximating: 1 + costs.slippage), try FixedPoint(approximating: 1 - costs.slippage)
        )
        self.makerRate = try FixedPoint(approximating: costs.makerFee)
        self.takerRate = try FixedPoint(approximating: costs.takerFee)
    }

    /// Orders resting in the book.
    public var restingOrderCount: Int { book.count }

    /// Accepts an order into the book, or fills it against `candle` at once when it arrives while
    /// that candle is being matched.
    /// - Parameters:
    ///   - order: the order, as the kernel built it.
    ///   - instrument: its instrument index.
    ///   - candle: the candle being matched, or `nil` when the order arrives at a close.
    ///   - cash: quote cash available for buys.
    ///   - events: where the outcome is appended.
    public mutating func submit(
        _ order: Order, instrument: Int, during candle: Candle?, cash: Money, timestamp: Int64,
        into events: inout [ExchangeEvent]
    ) {
        if order.timeInForce == .postOnly, let candle, let price = order.price,
            order.side == .buy ? candle.close <= price : candle.close >= price
        {
            events.append(
                .rejected(order.clientOrderID, reason: "post-only order would take liquidity", timestamp: timestamp))
            return
        }
        events.append(.accepted(order.clientOrderID, venueOrderID: "sim-\(order.clientOrderID)", timestamp: timestamp))
        let resting = Resting(order: order, instrument: instrument, triggered: false)
        guard let candle else {
            book.append(resting)
            return
        }
        var cashLeft = cash
        if !tryFill(resting, candle: candle, atOpen: false, cash: &cashLeft, into: &events) {
            book.append(resting)
        }
    }

    /// Cancels a resting order; nothing happens when it is no longer in the book.
    public mutating func cancel(_ id: ClientOrderID, timestamp: Int64, into events: inout [ExchangeEvent]) {
        guard let index = book.firstIndex(where: { $0.order.clientOrderID == id }) else { return }
        book.remove(at: index)
        events.append(.cancelled(id, reason: "cancelled by the bot", timestamp: timestamp))
    }

    /// Matches the resting orders of `instrument` against a new candle.
    /// - Complexity: O(resting orders); no allocation when nothing fills.
    public mutating func match(_ candle: Candle, instrument: Int, cash: Money, into events: inout [ExchangeEvent]) {
        guard !book.isEmpty else { return }
        var cashLeft = cash
        // Pass 1: everything that executes at the open (market orders, gaps through limits and stops).
        // Pass 2: stops inside the range; pass 3: limits inside the range.
        for pass in 0..<3 {
            var index = 0
            while index < book.count {
                let resting = book[index]
                guard resting.instrument == instrument, Self.belongs(resting, toPass: pass, candle: candle) else {
                    index += 1
                    continue
                }
                if tryFill(resting, candle: candle, atOpen: pass == 0, cash: &cashLeft, into: &events) {
                    book.remove(at: index)
                } else {
                    index += 1
                }
            }
        }
    }

    static func belongs(_ resting: Resting, toPass pass: Int, candle: Candle) -> Bool {
        let order = resting.order
        switch pass {
        case 0:
            switch order.type {
            case .market: return true
            case .limit: return order.side == .buy ? candle.open <= order.price! : candle.open >= order.price!
            case .stopMarket, .stopLimit:
                return order.side == .buy ? candle.open >= order.stopPrice! : candle.open <= order.stopPrice!
            }
        case 1: return order.type == .stopMarket || order.type == .stopLimit
        default: return order.type == .limit
        }
    }
}
