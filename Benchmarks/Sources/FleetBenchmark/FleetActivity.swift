import PetrelCore
import PetrelRuntime
import Synchronization

/// What the fleet's bots reported besides candles: counted, so a run shows it did real work and
/// nothing went wrong (bots' logs are off in the benchmark).
final class FleetActivity: Sendable {
    let errors = Atomic<Int>(0)
    let notices = Atomic<Int>(0)
    let ordersSent = Atomic<Int>(0)
    let rejected = Atomic<Int>(0)
    let unknown = Atomic<Int>(0)
    let trades = Atomic<Int>(0)
    let examples = Mutex<[String]>([])

    func observe(_ bot: String, _ activity: BotActivity) {
        switch activity {
        case .error(let message):
            errors.add(1, ordering: .relaxed)
            keep("\(bot) error: \(message)")
        case .notice:
            notices.add(1, ordering: .relaxed)
        case .orderSent:
            ordersSent.add(1, ordering: .relaxed)
        case .orderUpdate(.closed(_, .rejected, let reason, _)):
            rejected.add(1, ordering: .relaxed)
            keep("\(bot) rejected: \(reason ?? "")")
        case .orderUpdate(.unknown(_, let reason, _)):
            unknown.add(1, ordering: .relaxed)
            keep("\(bot) unknown: \(reason)")
        case .tradeClosed:
            trades.add(1, ordering: .relaxed)
        default:
            break
        }
    }

    private func keep(_ line: String) {
        examples.withLock { if $0.count < 5 { $0.append(line) } }
    }

    var summary: String {
        "orders sent \(ordersSent.load(ordering: .relaxed)), rejected \(rejected.load(ordering: .relaxed)), "
            + "unknown \(unknown.load(ordering: .relaxed)), trades closed \(trades.load(ordering: .relaxed)), "
            + "errors \(errors.load(ordering: .relaxed)), notices \(notices.load(ordering: .relaxed))"
    }
}
