import PetrelCore

extension Order {
    /// The same order in the `intent` status: same client id, fields, creation time and tag, no venue
    /// id and no fills (the kernel hands orders over already `submitted`).
    public func asIntent() -> Order {
        // Cannot throw: the fields were validated when this order was built.
        try! Order(
            clientOrderID: clientOrderID, symbol: symbol, side: side, type: type, quantity: quantity, price: price,
            stopPrice: stopPrice, timeInForce: timeInForce, reduceOnly: reduceOnly, createdAt: createdAt, tag: tag)
    }

    /// Rebuilds the order from its intent and every fill, the venue's executions being the source of
    /// truth: intent → submitted → accepted → each fill in time order → `closing` if the fills do
    /// not complete it.
    ///
    /// This is how a fill that arrives after the order was closed is booked: the transition table
    /// refuses `cancelled → filled`, so the order is replayed instead. A complete set of fills makes
    /// it `filled` whatever the earlier close said; otherwise it ends in `closing` again.
    /// - Parameters:
    ///   - fills: every fill of the order (applied before and new).
    ///   - closing: the terminal status to end in when the fills leave a remainder (`cancelled`,
    ///     `expired`), or a non-terminal status such as `unknown` to leave it open; `nil` keeps the
    ///     status the fills give.
    ///   - reason: stored with a `rejected` closing status.
    ///   - timestamp: Unix ms of the correction.
    /// - Throws: ``OrderError`` when the fills do not fit the order (another order's fill, an overfill).
    public func replaying(_ fills: [Fill], closing: OrderStatus?, reason: String? = nil, at timestamp: Int64)
        throws(OrderError) -> Order
    {
        var rebuilt = asIntent()
        rebuilt.venueOrderID = venueOrderID
        try rebuilt.transition(to: .submitted, at: createdAt)
        try rebuilt.transition(to: .accepted, at: createdAt)
        let ordered = fills.sorted { ($0.timestamp, $0.tradeID) < ($1.timestamp, $1.tradeID) }
        for fill in ordered { try rebuilt.apply(fill) }
        if let closing, rebuilt.status != .filled, rebuilt.status != closing {
            try rebuilt.transition(to: closing, at: timestamp, reason: reason)
        }
        return rebuilt
    }
}
