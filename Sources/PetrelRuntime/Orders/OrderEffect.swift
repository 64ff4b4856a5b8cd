import PetrelCore

/// One thing the ``OrderManager`` state machine asks its driver to do; a step returns them in the
/// order they must be performed (a write before the send or the notification that depends on it).
public enum OrderEffect: Sendable, Hashable {
    /// Write a new order in the `intent` status (unique client id) before anything is sent.
    case saveIntent(Order)
    /// Write the order's new state. The driver writes the order's state current at the time of the
    /// write, which is this one or newer.
    case saveOrder(Order)
    /// Write a fill (unique trade id) together with its order's state after the fill.
    case saveFill(Fill, Order)
    /// Send the order, after waiting `delay` milliseconds; every attempt uses the same client id.
    case submit(Order, delay: Int64)
    /// Ask the venue to cancel the order.
    case cancel(ClientOrderID, symbol: Symbol)
    /// Query the venue for the order by client id.
    case lookUp(ClientOrderID, symbol: Symbol)
    /// Fetch the fills of `symbol` at or after `since`: the venue reported more filled quantity for
    /// this order than the fills applied so far.
    case fetchFills(ClientOrderID, symbol: Symbol, since: Int64)
    /// Tell the bot.
    case notify(OrderEvent)
}
