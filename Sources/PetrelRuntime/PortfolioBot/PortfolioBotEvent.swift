import PetrelCore

/// What a running portfolio bot tells its listeners (logs, the WebSocket hub: seed 000's
/// `trade_executed` and `price_update` broadcasts).
public enum PortfolioBotEvent: Sendable, Hashable {
    /// A quote the bot had not seen before (seed 000's `price_update`).
    case priceUpdate(Quote)
    /// A trade's every leg filled; its row is EXECUTED (seed 000's `trade_executed`).
    case tradeExecuted(PortfolioTradeResult)
    /// A trade did not complete; its row is FAILED and the result says why and what each leg did.
    case tradeFailed(PortfolioTradeResult)
    /// Something went wrong (a quote, the balances, reconciliation, a store); the bot carries on.
    case error(String)
    /// A cycle ended; the report holds the decision and its reasoning.
    case cycleCompleted(PortfolioCycleReport)
}
