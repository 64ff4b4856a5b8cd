import PetrelCore
import PetrelRuntime
import PetrelTestSupport

/// Records for the contract tests, built by hand so every field is known.
enum Samples {
    static let btc = PaperFixtures.btc
    static let eth = symbol("ETH/USDT")
    static let start = PaperFixtures.start

    static func symbol(_ text: String) -> Symbol {
        guard let symbol = try? Symbol(parsing: text) else { preconditionFailure("bad test symbol \(text)") }
        return symbol
    }

    /// The `sequence`-th market or limit order of `bot`, created `sequence` seconds after ``start``.
    static func order(
        _ bot: String, _ sequence: UInt64, _ side: OrderSide = .buy, _ type: OrderType = .limit,
        quantity: String = "0.5", price: String? = "100", symbol: Symbol = btc, tag: String? = nil
    ) -> Order {
        do {
            return try Order(
                clientOrderID: ClientOrderID(botID: bot, sequence: sequence), symbol: symbol, side: side, type: type,
                quantity: decimal(quantity), price: type.needsLimitPrice ? price.map(decimal) : nil,
                stopPrice: type.needsStopPrice ? decimal("95") : nil, createdAt: start + Int64(sequence) * 1_000,
                tag: tag)
        } catch {
            preconditionFailure("bad test order: \(error)")
        }
    }

    /// `order` moved through `statuses` one second apart.
    static func moved(_ order: Order, through statuses: [OrderStatus], venueID: String? = nil) -> Order {
        var moved = order
        moved.venueOrderID = venueID ?? moved.venueOrderID
        for (offset, status) in statuses.enumerated() {
            do {
                try moved.transition(to: status, at: order.createdAt + Int64(offset + 1) * 1_000, reason: "test")
            } catch {
                preconditionFailure("bad test transition: \(error)")
            }
        }
        return moved
    }

    /// A fill of `order`.
    static func fill(
        _ tradeID: String, of order: Order, quantity: String = "0.1", price: String = "100", at timestamp: Int64? = nil
    ) -> Fill {
        Fill(
            tradeID: tradeID, clientOrderID: order.clientOrderID, symbol: order.symbol, side: order.side,
            price: decimal(price), quantity: decimal(quantity), fee: decimal("0.0123"), feeAsset: "USDT",
            liquidity: .maker, timestamp: timestamp ?? order.createdAt + 5_000)
    }

    /// `order` with `fill` applied.
    static func applying(_ fill: Fill, to order: Order) -> Order {
        var filled = order
        do {
            try filled.apply(fill)
        } catch {
            preconditionFailure("bad test fill: \(error)")
        }
        return filled
    }

    /// A stored bot.
    static func bot(_ id: String, createdAt: Int64 = start) -> BotRecord {
        BotRecord(
            id: id, name: "Bot \(id)", configuration: #"{"strategy":{"name":"sma_cross"},"id":"\#(id)"}"#, mode: .paper,
            lifecycle: .stopped, tradingState: .active, stateReason: nil, lastError: nil, restartCount: 0,
            createdAt: createdAt)
    }

    /// A position of `bot`.
    static func position(_ bot: String, _ symbol: Symbol, quantity: String, price: String = "100") -> PositionRecord {
        PositionRecord(
            botID: bot, symbol: symbol, quantity: decimal(quantity), averagePrice: decimal(price),
            realizedPnL: decimal("-1.25"), updatedAt: start)
    }

    /// A seed-000 trade, not yet stored.
    static func trade(
        _ reasoning: String, status: TradeStatus = .pending, decision: TradeDecision = .convert, amount: String = "0.5"
    ) -> TradeHistoryRecord {
        TradeHistoryRecord(
            fromPair: "BTC", toPair: "ETH", decision: decision, status: status, confidence: 0.8125, risk: 0.3,
            volatility: 0.0123456789, amount: decimal(amount), expectedReturn: 0.025, reasoning: reasoning,
            createdAt: start + 60_000)
    }

    /// An equity snapshot of `bot` at `minute` minutes after ``start``.
    static func equity(_ bot: String, minute: Int64, equity: String = "10000", drawdown: Double = 0.01)
        -> EquitySnapshot
    {
        EquitySnapshot(
            botID: bot, timestamp: start + minute * 60_000, equity: decimal(equity), cash: decimal("2500.5"),
            drawdown: drawdown)
    }

    /// A price of `symbol` at `second` seconds after ``start``.
    static func price(_ symbol: Symbol, _ price: String, second: Int64) -> PriceSnapshot {
        PriceSnapshot(symbol: symbol, price: decimal(price), timestamp: start + second * 1_000)
    }
}
