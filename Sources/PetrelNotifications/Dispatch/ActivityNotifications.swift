import PetrelCore
import PetrelRuntime
import Synchronization

/// Turns what a bot does (``BotActivity``) into notifications:
///
/// | activity | event |
/// |---|---|
/// | first fill of an order that is not reduce-only | `trade_entry` |
/// | a closed round trip | `trade_exit`, and `high_loss` when it lost at least ``highLossFraction`` of its entry |
/// | an error | `error` |
/// | an order rejected, or its outcome unknown | `api_failure` |
/// | lifecycle started, stopped, crashed | `status` |
/// | trading state reducing or halted | `risk_warning` |
public final class ActivityNotifications: Sendable {
    /// A closed trade losing at least this fraction of its entry notional also raises `high_loss`.
    public static let highLossFraction = 0.05

    let botID: String
    /// Where the messages go.
    public let notifier: any Notifier
    let clock: @Sendable () -> Int64
    private let orders = Mutex<(reduceOnly: [ClientOrderID: Order], filled: Set<ClientOrderID>)>(([:], []))

    public init(botID: String, notifier: any Notifier, clock: @escaping @Sendable () -> Int64) {
        self.botID = botID
        self.notifier = notifier
        self.clock = clock
    }

    /// Hands the notification for `activity`, if any, to the notifier.
    public func observe(_ activity: BotActivity) {
        for notification in notifications(for: activity) { notifier.notify(notification) }
    }

    func notifications(for activity: BotActivity) -> [NotificationMessage] {
        switch activity {
        case .orderSent(let order):
            orders.withLock { state in
                state.reduceOnly[order.clientOrderID] = order
                if state.reduceOnly.count > 1_000 { state.reduceOnly.removeAll() }
            }
            return []
        case .orderUpdate(.filled(let fill)):
            let entry: Order? = orders.withLock { state in
                guard let order = state.reduceOnly[fill.clientOrderID], !order.reduceOnly,
                    state.filled.insert(fill.clientOrderID).inserted
                else { return nil }
                if state.filled.count > 1_000 { state.filled.removeAll() }
                return order
            }
            guard entry != nil else { return [] }
            return [
                NotificationMessage(
                    event: .tradeEntry, botID: botID,
                    title: "\(fill.side.rawValue.uppercased()) \(fill.quantity) \(fill.symbol) at \(fill.price)",
                    fields: [.init("Fee", "\(fill.fee) \(fill.feeAsset)")], timestamp: fill.timestamp)
            ]
        case .orderUpdate(.closed(let id, let status, let reason, let timestamp)) where status == .rejected:
            return [
                NotificationMessage(
                    event: .apiFailure, botID: botID, title: "Order rejected",
                    body: reason ?? "the venue rejected the order", fields: [.init("Order", id.rawValue)],
                    severity: .warning, timestamp: timestamp)
            ]
        case .orderUpdate(.unknown(let id, let reason, let timestamp)):
            return [
                NotificationMessage(
                    event: .apiFailure, botID: botID, title: "Order outcome unknown; checking with the venue",
                    body: reason, fields: [.init("Order", id.rawValue)], severity: .warning, timestamp: timestamp)
            ]
        case .tradeClosed(let trade):
            let pnl = trade.netPnL
            var result = [
                NotificationMessage(
                    event: .tradeExit, botID: botID,
                    title: "Closed \(trade.direction) \(trade.quantity) \(trade.symbol) at \(trade.exitPrice)",
                    fields: [
                        .init("P&L", "\(pnl.isNegative ? "" : "+")\(pnl) \(trade.symbol.quote)"),
                        .init("Return", Self.percent(trade.returnFraction)), .init("Entry", "\(trade.entryPrice)"),
                        .init("Reason", trade.exitReason),
                    ], timestamp: trade.exitTime)
            ]
            if trade.returnFraction <= -Self.highLossFraction {
                result.append(
                    NotificationMessage(
                        event: .highLoss, botID: botID,
                        title: "High loss: \(Self.percent(trade.returnFraction)) on \(trade.symbol)",
                        fields: [.init("P&L", "\(pnl) \(trade.symbol.quote)")], severity: .critical,
                        timestamp: trade.exitTime))
            }
            return result
        case .error(let message):
            return [
                NotificationMessage(
                    event: .error, botID: botID, title: "Error", body: message, severity: .critical,
                    timestamp: clock())
            ]
        case .lifecycle(let lifecycle, let reason):
            guard [.running, .stopped, .crashed].contains(lifecycle) else { return [] }
            return [
                NotificationMessage(
                    event: .status, botID: botID, title: "Bot \(botID) is \(lifecycle.rawValue)", body: reason ?? "",
                    severity: lifecycle == .crashed ? .critical : .info, timestamp: clock())
            ]
        case .tradingState(let state, let reason, let timestamp):
            guard state != .active else { return [] }
            return [
                NotificationMessage(
                    event: .riskWarning, botID: botID, title: "Trading \(state.rawValue)", body: reason,
                    severity: state == .halted ? .critical : .warning, timestamp: timestamp)
            ]
        default:
            return []
        }
    }

    static func percent(_ fraction: Double) -> String {
        let value = (fraction * 10_000).rounded() / 100
        return "\(value >= 0 ? "+" : "")\(value) %"
    }
}
