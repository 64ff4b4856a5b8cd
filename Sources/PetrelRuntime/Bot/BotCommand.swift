import PetrelCore

/// What an operator (the CLI, the API, the supervisor) asks a running bot to do.
public enum BotCommand: Sendable, Hashable {
    /// No new entries; exits, stop-losses and take-profits keep working.
    case pause
    /// New entries again.
    case resume
    /// Stop taking new positions, write everything down and end the bot's task. Positions and resting
    /// protective orders stay at the venue and are managed again after the next start.
    case stop
    /// The kill switch: cancel every order, close every position, take no new ones (persisted).
    case halt(reason: String)
}

/// One input of a bot's task: everything a bot reacts to arrives on one stream, in order.
enum BotEvent: Sendable {
    case market(MarketDataEvent)
    case quote(Quote)
    case execution(ExecutionUpdate)
    case executionStreamEnded(String)
    case timer
    case command(BotCommand)
}

/// What a bot reports as it works: the logs, the JSON-lines files, the equity curve and (later) the
/// WebSocket feed are built from these.
public enum BotActivity: Sendable {
    /// The bot's lifecycle changed.
    case lifecycle(BotLifecycle, reason: String?)
    /// The trading state changed (a limit, the kill switch).
    case tradingState(TradingState, reason: String, timestamp: Int64)
    /// A closed candle was processed.
    case candle(Candle)
    /// A strategy signal that was acted on.
    case signal(symbol: Symbol, signal: Signal, timestamp: Int64)
    /// An entry or exit the kernel did not send, and why (insufficient balance, a limit, paused).
    case skipped(symbol: Symbol, reason: String, timestamp: Int64)
    /// An order was handed to the order manager (intent written, then sent).
    case orderSent(Order)
    /// The order manager reported a change of one of the bot's orders.
    case orderUpdate(OrderEvent)
    /// A round trip closed.
    case tradeClosed(ClosedTrade)
    /// Equity at a bar's close.
    case equity(EquitySnapshot)
    /// Something the operator should know that is not an error (reconciliation findings).
    case notice(String)
    /// A failure the bot survived or that ends it.
    case error(String)
}
