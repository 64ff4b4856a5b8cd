import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport

/// A bot's order stack over the real paper exchange: test clock, instant sleeper, in-memory store.
struct OrderHarness {
    typealias F = PaperFixtures

    let clock: TestClock
    let sleeper: TestSleeper
    let exchange: PaperExchange
    let store: InMemoryOrderStore
    let configuration: OrderManagerConfiguration
    let driver: OrderDriver

    /// A reconciled driver over a paper exchange quoting 100.00 / 100.05.
    static func make(
        fillLimit: PaperFillLimit = .unlimited, configuration: OrderManagerConfiguration = OrderManagerConfiguration(),
        reconcile: Bool = true
    ) async throws -> OrderHarness {
        let clock = TestClock(F.start)
        let exchange = await F.exchange(clock: clock, fillLimit: fillLimit)
        let store = InMemoryOrderStore()
        let sleeper = TestSleeper(clock: clock)
        let driver = OrderDriver(
            client: exchange, store: store, clock: clock, sleeper: sleeper, configuration: configuration)
        if reconcile {
            try await driver.start()
            _ = try await driver.reconcile()
        }
        return OrderHarness(
            clock: clock, sleeper: sleeper, exchange: exchange, store: store, configuration: configuration,
            driver: driver)
    }

    /// A new driver on the same store and exchange: the bot process after a restart.
    func restartedDriver() -> OrderDriver {
        OrderDriver(client: exchange, store: store, clock: clock, sleeper: sleeper, configuration: configuration)
    }
}

/// Events reduced to comparable words: `accepted bot1x1`, `filled bot1x1 0.5`, `closed bot1x1 rejected`.
func summary(_ events: [OrderEvent]) -> [String] {
    events.map { event in
        switch event {
        case .accepted(let id, _, _): return "accepted \(id)"
        case .filled(let fill): return "filled \(fill.clientOrderID) \(fill.quantity)"
        case .closed(let id, let status, _, _): return "closed \(id) \(status.rawValue)"
        case .unknown(let id, _, _): return "unknown \(id)"
        case .anomaly(let id, _, _): return "anomaly \(id)"
        }
    }
}

/// `decimal(text)` under a shorter name.
func d(_ text: String) -> FixedPoint { decimal(text) }
