import PetrelCore

/// Why the order manager refused a request or could not finish it.
public enum OrderManagerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No new order goes out until reconciliation has succeeded (DESIGN §1.4); the reason says why.
    case tradingBlocked(String)
    /// The manager already has an order with this client id.
    case duplicateClientOrderID(ClientOrderID)
    /// The manager has no order with this client id.
    case unknownOrder(ClientOrderID)
    /// Only an order in the `intent` or `submitted` status can be placed.
    case notAnIntent(ClientOrderID, OrderStatus)
    /// The order cannot be cancelled in its status.
    case notCancellable(ClientOrderID, OrderStatus)
    /// The order store failed or refused a write.
    case store(OrderStoreError)
    /// The venue failed during reconciliation.
    case venue(ExecutionError)

    public var description: String {
        switch self {
        case .tradingBlocked(let why):
            return "trading is blocked: \(why)"
        case .duplicateClientOrderID(let id):
            return "an order with client order id \(id) already exists"
        case .unknownOrder(let id):
            return "no order with client order id \(id)"
        case .notAnIntent(let id, let status):
            return "order \(id) is \(status.rawValue); only a new order (intent or submitted) can be placed"
        case .notCancellable(let id, let status):
            return "order \(id) is \(status.rawValue) and cannot be cancelled"
        case .store(let error):
            return error.description
        case .venue(let error):
            return error.description
        }
    }
}
