import Foundation
import PetrelPersistence
import Synchronization

/// Fans bot events out to WebSocket clients without ever waiting for one: each client has a bounded
/// queue, and a client whose queue is full is dropped (its connection closed), so a slow reader never
/// slows a bot or the other clients.
public final class LiveHub: Sendable {
    /// One connected client.
    final class Client: Sendable {
        let id: Int
        let identity: TokenService.Identity
        let continuation: AsyncStream<String>.Continuation
        /// Bot ids this client may see; `nil`: every bot (administrators).
        let visible: Mutex<Set<String>?>
        /// Subscriptions: bot id (`*` for every visible bot) → event types.
        let subscriptions = Mutex<[String: Set<LiveEvent.Kind>]>([:])
        /// Why the client was dropped, if it was.
        let dropReason = Mutex<String?>(nil)

        init(
            id: Int, identity: TokenService.Identity, visible: Set<String>?,
            continuation: AsyncStream<String>.Continuation
        ) {
            self.id = id
            self.identity = identity
            self.visible = Mutex(visible)
            self.continuation = continuation
        }

        func canSee(_ bot: String) -> Bool { visible.withLock { $0?.contains(bot) ?? true } }

        func wants(_ event: LiveEvent) -> Bool {
            guard canSee(event.bot) else { return false }
            if event.kind.isBroadcast { return true }
            return subscriptions.withLock { table in
                (table[event.bot]?.contains(event.kind) ?? false) || (table["*"]?.contains(event.kind) ?? false)
            }
        }
    }

    /// Messages queued per client before it is dropped as too slow.
    public let queueLimit: Int
    private let clients = Mutex<[Int: Client]>([:])
    private let nextID = Atomic<Int>(1)
    private let droppedCount = Atomic<Int>(0)

    public init(queueLimit: Int = 1_024) {
        self.queueLimit = queueLimit
    }

    /// Registers a client.
    /// - Returns: the client and the stream of messages to write to it (ends when it is dropped).
    func connect(identity: TokenService.Identity, visible: Set<String>?) -> (Client, AsyncStream<String>) {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingOldest(queueLimit))
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let client = Client(id: id, identity: identity, visible: visible, continuation: continuation)
        clients.withLock { $0[id] = client }
        return (client, stream)
    }

    /// Removes a client (it disconnected).
    func disconnect(_ client: Client) {
        _ = clients.withLock { $0.removeValue(forKey: client.id) }
        client.continuation.finish()
    }

    /// Queues a message for one client (replies to its own requests).
    func send(_ text: String, to client: Client) {
        deliver(text, to: client)
    }

    /// Queues an event for every client that may see it and wants it. Never waits.
    public func publish(_ event: LiveEvent) {
        let targets = clients.withLock { Array($0.values) }
        for client in targets where client.wants(event) { deliver(event.text, to: client) }
    }

    /// Lets every client that sees only some bots also see `bot` when `owner` is theirs (a new bot).
    func grant(_ bot: String, to owner: Int64) {
        let targets = clients.withLock { Array($0.values) }
        for client in targets where client.identity.userID == owner {
            _ = client.visible.withLock { set in set?.insert(bot) }
        }
    }

    /// Connected clients.
    public var clientCount: Int { clients.withLock { $0.count } }
    /// Clients dropped for being too slow since the start.
    public var droppedClients: Int { droppedCount.load(ordering: .relaxed) }

    private func deliver(_ text: String, to client: Client) {
        if case .dropped = client.continuation.yield(text) {
            client.dropReason.withLock { $0 = "too slow: more than \(queueLimit) messages waiting" }
            droppedCount.add(1, ordering: .relaxed)
            _ = clients.withLock { $0.removeValue(forKey: client.id) }
            client.continuation.finish()
        }
    }
}
