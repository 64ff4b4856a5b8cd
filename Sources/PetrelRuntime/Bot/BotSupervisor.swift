import PetrelCore

/// Owns the bots of a process (DESIGN §3): starts, stops, pauses, resumes and halts them, and
/// restarts a crashed bot with capped exponential back-off. Each (re)start builds a new
/// ``BotRunner`` through the factory, which rebuilds the bot's state from its journal.
public actor BotSupervisor {
    /// Restart rules.
    public struct Policy: Sendable, Hashable {
        /// Wait before the first restart after a crash (ms).
        public var initialBackoff: Int64
        /// The longest wait between restarts (ms).
        public var maxBackoff: Int64
        /// A bot that ran this long (ms) before crashing starts again from ``initialBackoff``.
        public var stableAfter: Int64
        /// Crashes in a row after which the bot is left `crashed` (`nil`: restart forever).
        public var maxConsecutiveCrashes: Int?

        public init(
            initialBackoff: Int64 = 1_000, maxBackoff: Int64 = 60_000, stableAfter: Int64 = 300_000,
            maxConsecutiveCrashes: Int? = nil
        ) {
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
            self.stableAfter = stableAfter
            self.maxConsecutiveCrashes = maxConsecutiveCrashes
        }

        /// The wait after `crashes` crashes in a row (1 = the first).
        public func backoff(afterCrashes crashes: Int) -> Int64 {
            var delay = max(0, initialBackoff)
            var step = 1
            while step < crashes && delay < maxBackoff {
                delay *= 2
                step += 1
            }
            return min(delay, maxBackoff)
        }
    }

    /// Builds a fresh runner for a bot (configuration, venue, stores, feeds).
    public typealias Factory = @Sendable (_ botID: String) async throws -> BotRunner

    struct Managed {
        /// Which start made this entry: a run that ended after the bot was started again must not touch
        /// the newer run's entry.
        var generation: Int
        var task: Task<BotExit?, Never>?
        var runner: BotRunner?
        /// The runner of the last run, kept after it ended (its final status).
        var lastRunner: BotRunner?
        var stopping = false
        var pending: [BotCommand] = []
        var crashes = 0
        /// Its task has ended (stopped, replay finished or crashed for good).
        var ended = false
    }

    let bots: any BotRepository
    let clock: any TradingClock
    let sleeper: any Sleeper
    let policy: Policy
    let factory: Factory
    let observe: @Sendable (String, BotActivity) -> Void
    var managed: [String: Managed] = [:]
    /// Set by ``shutdown()``: no bot starts any more.
    var closed = false
    /// Starts so far (each run's generation).
    var starts = 0

    /// Creates a supervisor.
    /// - Parameters:
    ///   - bots: where lifecycle changes and crash reasons are stored.
    ///   - clock: the source of "now".
    ///   - sleeper: how back-off waits (cancelled by ``stop(_:)``).
    ///   - policy: restart rules.
    ///   - observe: supervisor events (crashes, restarts), tagged with the bot id.
    ///   - factory: builds a runner for a bot id.
    public init(
        bots: any BotRepository, clock: any TradingClock, sleeper: any Sleeper, policy: Policy = Policy(),
        observe: @escaping @Sendable (String, BotActivity) -> Void = { _, _ in }, factory: @escaping Factory
    ) {
        self.bots = bots
        self.clock = clock
        self.sleeper = sleeper
        self.policy = policy
        self.observe = observe
        self.factory = factory
    }

    /// Starts a bot (no effect when it is already running).
    /// - Returns: `false` when the supervisor has shut down and starts nothing.
    @discardableResult
    public func start(_ id: String) -> Bool {
        guard !closed else { return false }
        if let current = managed[id], current.task != nil, !current.stopping { return true }
        starts += 1
        let generation = starts
        managed[id] = Managed(generation: generation)
        managed[id]?.task = Task {
            let exit = await self.supervise(id, generation)
            self.change(id, generation) { $0.ended = true }
            return exit
        }
        return true
    }

    /// Stops a bot: no new positions, state written, task ended. Waits until it has ended.
    /// - Returns: how it ended (`nil` when it was not running or had crashed for good).
    @discardableResult
    public func stop(_ id: String) async -> BotExit? {
        guard var entry = managed[id], let task = entry.task else { return nil }
        entry.stopping = true
        managed[id] = entry
        if let runner = entry.runner {
            runner.send(.stop)
        } else {
            task.cancel()
        }
        return await task.value
    }

    /// Stops every bot.
    public func stopAll() async {
        for id in managed.keys.sorted() { await stop(id) }
    }

    /// Stops every bot for good: later ``start(_:)`` calls start nothing. A bot whose runner is still being
    /// built is waited for, so nothing it reads or writes outlives this call.
    public func shutdown() async {
        closed = true
        await stopAll()
    }

    /// Whether ``shutdown()`` was called.
    public var isShutDown: Bool { closed }

    /// Pauses new entries of a bot.
    public func pause(_ id: String) { send(.pause, to: id) }

    /// Resumes new entries of a bot.
    public func resume(_ id: String) { send(.resume, to: id) }

    /// The kill switch for one bot: cancel its orders, close its positions, no new ones.
    public func halt(_ id: String, reason: String) { send(.halt(reason: reason), to: id) }

    /// Emergency stop of everything: every bot halts (orders cancelled, positions closed).
    public func emergencyStopAll(reason: String) {
        for id in managed.keys.sorted() { send(.halt(reason: reason), to: id) }
    }

    /// Stops and starts a bot again (a new runner rebuilt from the journal).
    public func restart(_ id: String) async {
        await stop(id)
        start(id)
    }

    /// The running runner of a bot, if any (status queries).
    public func runner(for id: String) -> BotRunner? { managed[id]?.runner }

    /// The runner of the bot's last run, also after it ended (its final status).
    public func lastRunner(for id: String) -> BotRunner? { managed[id]?.lastRunner }

    /// Ids of the bots this supervisor manages.
    public var botIDs: [String] { managed.keys.sorted() }

    /// Ids of the bots that run, are being started or wait to restart after a crash (not stopping).
    public var activeBotIDs: [String] {
        managed.filter { !$0.value.ended && !$0.value.stopping && $0.value.task != nil }.keys.sorted()
    }

    /// The entry of run `generation` of a bot, if it is still the bot's current run.
    func entry(_ id: String, _ generation: Int) -> Managed? {
        guard let entry = managed[id], entry.generation == generation else { return nil }
        return entry
    }

    /// Changes the entry of run `generation`, unless the bot has been started again since.
    func change(_ id: String, _ generation: Int, _ body: (inout Managed) -> Void) {
        guard var entry = entry(id, generation) else { return }
        body(&entry)
        managed[id] = entry
    }

    /// Waits until a bot's task has ended (it stopped, its replay finished, or it crashed for good).
    @discardableResult
    public func wait(for id: String) async -> BotExit? {
        guard let task = managed[id]?.task else { return nil }
        return await task.value
    }

    func send(_ command: BotCommand, to id: String) {
        guard var entry = managed[id] else { return }
        if let runner = entry.runner {
            runner.send(command)
        } else {
            entry.pending.append(command)
            managed[id] = entry
        }
    }

    /// Runs one bot until it stops, restarting it after crashes.
    func supervise(_ id: String, _ generation: Int) async -> BotExit? {
        while entry(id, generation)?.stopping == false {
            let startedAt = clock.now()
            let message: String
            var permanent = false
            do {
                let runner = try await factory(id)
                guard attach(runner, to: id, generation) else { return .stopped }
                let exit = try await runner.run()
                change(id, generation) { $0.runner = nil }
                return exit
            } catch {
                change(id, generation) { $0.runner = nil }
                message = "\(error)"
                permanent = error is any PermanentBotError
            }
            if clock.now() - startedAt >= policy.stableAfter { change(id, generation) { $0.crashes = 0 } }
            let crashes = (entry(id, generation)?.crashes ?? 0) + 1
            change(id, generation) { $0.crashes = crashes }
            let giveUp = permanent || (policy.maxConsecutiveCrashes.map { crashes >= $0 } ?? false)
            let delay = policy.backoff(afterCrashes: crashes)
            let reason =
                permanent
                ? "\(message) (not restarted: a restart would fail the same way)"
                : giveUp
                    ? "\(message) (\(crashes) crashes in a row; not restarted)" : "\(message) (restart in \(delay) ms)"
            observe(id, .lifecycle(.crashed, reason: reason))
            do {
                try await bots.updateLifecycle(id, to: .crashed, error: message, restartCount: crashes, at: clock.now())
            } catch {
                observe(id, .error("the crash could not be stored: \(error)"))
            }
            if giveUp { return nil }
            await sleeper.sleep(milliseconds: delay)
            if Task.isCancelled { break }
        }
        // A newer run of the bot writes its own lifecycle.
        guard entry(id, generation) != nil else { return .stopped }
        do {
            try await bots.updateLifecycle(id, to: .stopped, error: nil, restartCount: nil, at: clock.now())
        } catch {
            observe(id, .error("the stop could not be stored: \(error)"))
        }
        return .stopped
    }

    /// Makes a new runner the bot's current one and hands it the commands sent meanwhile.
    /// - Returns: `false` when the bot was stopped (or started again) while the runner was being built.
    func attach(_ runner: BotRunner, to id: String, _ generation: Int) -> Bool {
        guard var entry = entry(id, generation), !entry.stopping else { return false }
        entry.runner = runner
        entry.lastRunner = runner
        for command in entry.pending { runner.send(command) }
        entry.pending.removeAll()
        managed[id] = entry
        return true
    }
}

/// A failure that restarting cannot mend (a symbol the venue does not list, a config it refuses): the
/// supervisor marks the bot crashed and does not restart it.
public protocol PermanentBotError: Error {}
