/// Something wrong with an order or with an update to it.
public enum OrderError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidClientOrderID(String)
    case illegalTransition(ClientOrderID, from: OrderStatus, to: OrderStatus)
    case missingPrice(OrderType)
    case missingStopPrice(OrderType)
    case quantityNotPositive(Quantity)
    case overfill(ClientOrderID, ordered: Quantity, filled: Quantity)
    case fillMismatch(ClientOrderID, String)
    case arithmetic(FixedPointError)

    public var description: String {
        switch self {
        case .invalidClientOrderID(let id):
            return "client order id '\(id)' must be 1–32 characters of A–Z, a–z, 0–9, '_' or '-'"
        case .illegalTransition(let id, let from, let to):
            return "order \(id) cannot move from \(from.rawValue) to \(to.rawValue)"
        case .missingPrice(let type): return "a \(type.rawValue) order needs a limit price"
        case .missingStopPrice(let type): return "a \(type.rawValue) order needs a stop price"
        case .quantityNotPositive(let q): return "order quantity \(q) must be greater than zero"
        case .overfill(let id, let ordered, let filled):
            return "order \(id) would be filled \(filled), more than its quantity \(ordered)"
        case .fillMismatch(let id, let why): return "fill does not belong to order \(id): \(why)"
        case .arithmetic(let error): return error.description
        }
    }
}
