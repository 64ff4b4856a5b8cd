import Foundation
import Hummingbird
import Logging
import NIOCore
import PetrelExchanges
import PetrelNotifications
import PetrelPersistence
import PetrelRuntime

/// `petrel serve`: opens the data directory's database, loads the secrets, creates the first administrator
/// and the demo bot on a new database, resumes the bots that were running, serves the API until SIGINT or
/// SIGTERM, then stops every bot gracefully.
public struct PetrelServerRunner: Sendable {
    /// Why the server cannot start.
    public struct StartError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public let options: ServerOptions
    public let services: ServerServices
    let output: @Sendable (String) -> Void

    /// The SQLite file in the data directory.
    public static func databasePath(_ dataDirectory: String) -> String {
        (dataDirectory as NSString).appendingPathComponent("petrel.sqlite")
    }

    /// Prepares everything but the listening socket.
    /// - Parameters:
    ///   - options: address, data directory, limits.
    ///   - environment: `PETREL_JWT_SECRET`, `PETREL_ADMIN_PASSWORD`, secrets of bot configs.
    ///   - hasher: password hashing (production cost unless a test says otherwise).
    ///   - output: where the one-time admin password and the startup lines are printed.
    /// - Throws: ``StartError`` with the reason (a bad secret, a database that cannot be opened).
    public static func prepare(
        options: ServerOptions, environment: [String: String], hasher: PasswordHasher = PasswordHasher(),
        logger: Logger = Logger(label: "petrel.server"), output: @escaping @Sendable (String) -> Void
    ) async throws(StartError) -> PetrelServerRunner {
        guard (1...65_535).contains(options.port) || options.port == 0 else {
            throw StartError(description: "--port \(options.port) is out of range (1 to 65535)")
        }
        let secretsDirectory = (options.dataDirectory as NSString).appendingPathComponent("secrets")
        let jwtSecret: [UInt8]
        do {
            jwtSecret = try SecretFile.load(
                variable: "PETREL_JWT_SECRET", path: (secretsDirectory as NSString).appendingPathComponent("jwt.key"),
                environment: environment)
        } catch {
            throw StartError(description: "refusing to start: JWT secret: \(error)")
        }
        let masterKey: [UInt8]
        do {
            masterKey = try SecretFile.load(
                variable: "PETREL_MASTER_KEY",
                path: (secretsDirectory as NSString).appendingPathComponent("master.key"), environment: environment)
        } catch {
            throw StartError(description: "refusing to start: master key: \(error)")
        }
        var metricsToken: [UInt8]?
        if environment["PETREL_METRICS_TOKEN"] != nil {
            do {
                let text = environment["PETREL_METRICS_TOKEN"] ?? ""
                _ = try SecretFile.check(text, source: "PETREL_METRICS_TOKEN")
                metricsToken = Array(text.utf8)
            } catch {
                throw StartError(description: "refusing to start: \(error)")
            }
        }
        let adminPassword = environment["PETREL_ADMIN_PASSWORD"]
        if let adminPassword, let problem = PasswordHasher.problem(with: adminPassword) {
            throw StartError(description: "PETREL_ADMIN_PASSWORD \(problem)")
        }
        let database: PetrelDatabase
        do {
            database = try await PetrelDatabase.open(path: databasePath(options.dataDirectory))
        } catch {
            throw StartError(description: "cannot open the database: \(error)")
        }
        let clock = LiveClock()
        let vault = CredentialVault(masterKey: masterKey)
        let alerts: ServerNotifications
        do {
            alerts = try await Self.notificationChannels(
                options, environment: environment, database: database, vault: vault, output: output)
        } catch {
            await database.shutdown()
            throw error
        }
        do {
            var settings = BotFleet.Settings(
                dataDirectory: options.dataDirectory, environment: environment, console: options.botConsole,
                notifier: alerts)
            settings.notificationEndpoints = options.notificationEndpoints
            let venueURLs = ["binance": options.binanceURL, "okx": options.okxURL].compactMapValues { $0 }
            settings.openAccount = { name, owner, broker in
                try await StoredAccount.open(
                    name, owner: owner, broker: broker, database: database, vault: vault, venueURLs: venueURLs)
            }
            let fleet = BotFleet(database: database, settings: settings, clock: clock)
            let tokens = await TokenService(secret: jwtSecret, clock: clock)
            var inactive = Set<Int64>()
            for user in try await database.users.all() where user.isDisabled { inactive.insert(user.id) }
            let services = ServerServices(
                database: database, fleet: fleet, tokens: tokens, hasher: hasher,
                users: UserDirectory(inactive: inactive), clock: clock,
                requestLimiter: options.rateLimit > 0
                    ? RateLimiter(capacity: options.rateLimit * 2, perSecond: options.rateLimit) : nil,
                allowedOrigins: options.allowedOrigins, metricsToken: metricsToken,
                vault: vault,
                directories: options.venueDirectories,
                alerts: alerts, logger: logger)
            services.connectLiveFeed()
            let runner = PetrelServerRunner(options: options, services: services, output: output)
            try await runner.firstStart(adminPassword: adminPassword)
            return runner
        } catch let error as StartError {
            await database.shutdown()
            throw error
        } catch {
            await database.shutdown()
            throw StartError(description: "cannot start: \(error)")
        }
    }

    /// The server's channels, started: those of `--notifications FILE`, else those stored through the API.
    /// - Throws: ``StartError`` naming the file, the field and the problem (stored settings that no longer
    ///   work only print a warning, so that an administrator can still log in and fix them).
    static func notificationChannels(
        _ options: ServerOptions, environment: [String: String], database: PetrelDatabase, vault: CredentialVault,
        output: (String) -> Void
    ) async throws(StartError) -> ServerNotifications {
        guard let path = options.notificationsFile else {
            return await storedChannels(options, environment: environment, database: database, vault: vault, output)
        }
        let section: BotConfiguration.Notifications?
        do {
            section = try BotConfiguration.parseNotificationsSection(try BotAssembly.readConfig(path), source: path)
        } catch {
            throw StartError(description: "--notifications: \(error)")
        }
        guard let section else {
            throw StartError(description: "--notifications: \(path) has no \"notifications\" section")
        }
        let built: (routes: [NotificationDispatcher.Route], unavailable: [(String, String)])
        do {
            built = try NotificationSetup.routes(
                for: section, environment: environment, endpoints: options.notificationEndpoints)
        } catch {
            throw StartError(description: "--notifications \(path): \(error)")
        }
        for (channel, why) in built.unavailable { output("notifications: \(channel) is not sent: \(why)") }
        if options.telegramCommands, !built.routes.contains(where: { $0.channel is TelegramChannel }) {
            throw StartError(
                description: "--telegram-commands needs an enabled telegram channel in --notifications \(path)")
        }
        let dispatcher = NotificationDispatcher(routes: built.routes)
        dispatcher.start()
        output(
            "notification channels: \(dispatcher.channelNames.isEmpty ? "none enabled" : dispatcher.channelNames.joined(separator: ", "))"
        )
        return ServerNotifications(dispatcher: dispatcher, source: .file, commandsFlag: options.telegramCommands)
    }

    /// The channels stored through `/api/v1/settings/notifications`, started; none when nothing is stored
    /// or the stored settings no longer work (printed).
    static func storedChannels(
        _ options: ServerOptions, environment: [String: String], database: PetrelDatabase, vault: CredentialVault,
        _ output: (String) -> Void
    ) async -> ServerNotifications {
        let none = ServerNotifications(commandsFlag: options.telegramCommands)
        do {
            guard let record = try await database.serverSettings.setting(NotificationSettings.key) else {
                if options.telegramCommands {
                    output("--telegram-commands: no telegram channel yet; commands are answered once one is set")
                }
                return none
            }
            let settings = try NotificationSettings(record)
            let built = try settings.build(
                environment: environment, vault: vault, endpoints: options.notificationEndpoints)
            for (channel, why) in built.unavailable { output("notifications: \(channel) is not sent: \(why)") }
            built.dispatcher?.start()
            output(
                "notification channels (stored): \(built.dispatcher?.channelNames.joined(separator: ", ") ?? "none")")
            return ServerNotifications(
                dispatcher: built.dispatcher, source: .database, commands: settings.telegramCommands,
                commandsFlag: options.telegramCommands)
        } catch {
            output(
                "WARNING: the stored notification settings cannot be used (\(ErrorMiddleware<ServerContext>.map(error).message)); no channel sends until they are fixed under Settings → Notifications"
            )
            return none
        }
    }

    /// The Telegram command poller: it answers from the server's Telegram channel while commands are on
    /// (`--telegram-commands` or the stored `telegram_commands`), and waits while they are off.
    public func telegramPoller() -> TelegramCommandPoller {
        TelegramCommandPoller(
            source: { [services] in services.alerts.commandChannel },
            handler: FleetTelegramCommands(fleet: services.fleet, clock: services.clock))
    }

    /// On a database without users: the `admin` user (password from `PETREL_ADMIN_PASSWORD` or random,
    /// printed once) and, if enabled, the demo bot.
    func firstStart(adminPassword: String?) async throws {
        guard try await services.database.users.count() == 0 else { return }
        let password = adminPassword ?? String(TokenService.randomToken().prefix(20))
        let admin = try await services.database.users.create(
            username: "admin", passwordHash: services.hasher.hash(password), role: .admin, at: services.clock.now())
        await services.audit(admin.id, admin.username, "user_create", target: "user:\(admin.id)", detail: "first start")
        if adminPassword == nil {
            output("created user 'admin' with password \(password)  (shown once; change it under Settings → Users)")
        } else {
            output("created user 'admin' with the password in PETREL_ADMIN_PASSWORD")
        }
        if options.demo, try await services.fleet.bots.allBots().isEmpty {
            _ = try await services.fleet.create(
                id: DemoBot.id, name: DemoBot.name, config: Data(DemoBot.config.utf8), owner: admin.id)
            try await services.fleet.bots.updateLifecycle(
                DemoBot.id, to: .starting, error: nil, restartCount: nil, at: services.clock.now())
            output("created the demo bot '\(DemoBot.id)' on the SIMULATED market (not real prices)")
        }
    }

    /// Serves until SIGINT or SIGTERM, then stops every bot and closes the database.
    /// - Parameter onReady: called with the bound port once the server listens.
    public func run(onReady: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let logger = services.logger
        if !options.isLoopback {
            let warning =
                "WARNING: listening on \(options.host), reachable from other machines. Put TLS in front and restrict access; the API controls real bots."
            logger.warning("\(warning)")
            output(warning)
        }
        let resumed = await services.fleet.resumeActiveBots()
        if !resumed.isEmpty { output("started bots: \(resumed.joined(separator: ", "))") }
        let app = ServerRouter.application(services, host: options.host, port: options.port) { channel in
            await onReady(channel.localAddress?.port ?? 0)
        }
        let watcher = Task { [services] in
            await PortfolioTradeWatcher(database: services.database, hub: services.hub).run()
        }
        // A backtest still running at shutdown is not awaited: it stays `running` in the table and
        // runs again after the next start.
        let backtests = Task { [services] in await services.backtests.run() }
        let summaries = Task { [services] in
            await SummaryScheduler(fleet: services.fleet, clock: services.clock).run()
        }
        let commands = Task { [self] in await telegramPoller().run() }
        // Everything that reads the database or starts bots must be done before it closes.
        let stopBackground = { [services] in
            services.backtests.finish()
            backtests.cancel()
            for task in [watcher, summaries, commands] {
                task.cancel()
                await task.value
            }
        }
        do {
            try await app.runService()
        } catch {
            await stopBackground()
            await shutdown()
            throw error
        }
        await stopBackground()
        await shutdown()
    }

    /// Stops the bots (their state written) and closes the database.
    public func shutdown() async {
        await services.fleet.shutdown()
        await services.alerts.shutdown()
        await services.database.shutdown()
    }
}
