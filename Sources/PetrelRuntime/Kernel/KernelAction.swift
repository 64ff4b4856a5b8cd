import PetrelCore

/// What the kernel asks its driver (the backtest engine, or a live bot task) to do.
public enum KernelAction: Sendable {
    /// Send this order (already in the `submitted` status in the kernel's books).
    case submit(Order)
    /// Cancel this open order.
    case cancel(ClientOrderID, symbol: Symbol)
    /// A strategy signal, for the journal and the dashboard.
    case signal(symbol: Symbol, signal: Signal, timestamp: Int64)
    /// A position went back to flat: one round trip.
    case tradeClosed(ClosedTrade)
    /// The trading state changed (limits, halts).
    case tradingStateChanged(TradingState, reason: String, timestamp: Int64)
    /// An entry or exit the kernel decided not to send, and why (insufficient balance, a limit).
    case skipped(symbol: Symbol, reason: String, timestamp: Int64)
}

/// Why an order exists.
public enum OrderPurpose: String, Sendable, Hashable, Codable {
    /// Opens or adds to a position on a strategy signal.
    case entry
    /// Closes on a strategy signal.
    case exit
    /// Protective stop (fixed stop-loss, moved by the trailing stop).
    case stopLoss = "stop_loss"
    case takeProfit = "take_profit"
    /// Closes because the bot halted (drawdown limit, kill switch).
    case riskExit = "risk_exit"
    /// Closes because the position was held for the configured time (`time_exit_minutes`).
    case timeExit = "time_exit"
}

/// One round trip: from flat to flat in one direction.
public struct ClosedTrade: Sendable, Hashable, Codable {
    public var symbol: Symbol
    /// `long` or `short`.
    public var direction: String
    public var entryTime: Int64
    public var exitTime: Int64
    /// Volume-weighted average entry and exit prices.
    public var entryPrice: Price
    public var exitPrice: Price
    /// Largest absolute size held during the trade.
    public var quantity: Quantity
    /// P&L before fees.
    public var grossPnL: Money
    public var fees: Money
    public var netPnL: Money
    /// Net P&L over the entry notional.
    public var returnFraction: Double
    /// The purpose of the order that closed it (`exit`, `stop_loss`, `take_profit`, `risk_exit`).
    public var exitReason: String
    /// The entry signal's reasoning.
    public var entryReasoning: String
    /// Candles the position was open for.
    public var barsHeld: Int

    public init(
        symbol: Symbol, direction: String, entryTime: Int64, exitTime: Int64, entryPrice: Price, exitPrice: Price,
        quantity: Quantity, grossPnL: Money, fees: Money, netPnL: Money, returnFraction: Double, exitReason: String,
        entryReasoning: String, barsHeld: Int
    ) {
        self.symbol = symbol
        self.direction = direction
        self.entryTime = entryTime
        self.exitTime = exitTime
        self.entryPrice = entryPrice
        self.exitPrice = exitPrice
        self.quantity = quantity
        self.grossPnL = grossPnL
        self.fees = fees
        self.netPnL = netPnL
        self.returnFraction = returnFraction
        self.exitReason = exitReason
        self.entryReasoning = entryReasoning
        self.barsHeld = barsHeld
    }
}
