import HTTPTypes
import Logging
import PetrelExchanges
import PetrelNotifications
import PetrelPersistence
import PetrelRuntime

/// What the routes share: the database, the bots, tokens, password hashing, limits, the audit log.
public struct ServerServices: Sendable {
    public let database: PetrelDatabase
    public let fleet: BotFleet
    public let tokens: TokenService
    public let hasher: PasswordHasher
    public let users: UserDirectory
    public let clock: any TradingClock
    /// Failed logins per address and per name: 5 in a row, then one more every minute.
    public let loginLimiter: RateLimiter
    /// Requests per client address (`nil`: unlimited).
    public let requestLimiter: RateLimiter?
    /// Browser origins allowed by CORS (empty: none).
    public let allowedOrigins: Set<String>
    /// The WebSocket clients.
    public let hub: LiveHub
    /// One-time WebSocket tickets.
    public let tickets: TicketStore
    /// Seals and opens stored exchange credentials.
    public let vault: CredentialVault
    /// Prometheus metrics.
    public let metrics: ServerMetrics
    /// The scrape token for `/metrics` (`PETREL_METRICS_TOKEN`), if set.
    public let metricsToken: [UInt8]?
    /// The server's notification channels (`--notifications` or the stored settings): `POST /api/send_alert`,
    /// bots without their own channels, Telegram commands.
    public let alerts: ServerNotifications
    /// The venues' instrument directories by venue name (symbol discovery and coin search).
    public let directories: [String: any InstrumentDirectory]
    /// The API's backtest jobs.
    public let backtests: BacktestQueue
    /// When the server started (Unix ms).
    public let startedAt: Int64
    public let logger: Logger

    public init(
        database: PetrelDatabase, fleet: BotFleet, tokens: TokenService, hasher: PasswordHasher, users: UserDirectory,
        clock: any TradingClock, requestLimiter: RateLimiter?, allowedOrigins: Set<String>,
        metricsToken: [UInt8]? = nil, vault: CredentialVault, directories: [any InstrumentDirectory] = [],
        alerts: ServerNotifications = ServerNotifications(), logger: Logger
    ) {
        self.alerts = alerts
        self.database = database
        self.fleet = fleet
        self.tokens = tokens
        self.hasher = hasher
        self.users = users
        self.clock = clock
        self.loginLimiter = RateLimiter(capacity: 5, perSecond: 1.0 / 60)
        self.requestLimiter = requestLimiter
        self.allowedOrigins = allowedOrigins
        self.hub = LiveHub()
        self.metrics = ServerMetrics()
        self.metricsToken = metricsToken
        self.vault = vault
        self.tickets = TicketStore()
        self.startedAt = clock.now()
        self.logger = logger
        var byVenue: [String: any InstrumentDirectory] = [:]
        for directory in [SimulatedInstrumentDirectory(clock: clock)] + directories {
            byVenue[directory.venue] = directory
        }
        self.directories = byVenue
        self.backtests = BacktestQueue(
            database: database, candleDirectory: fleet.candleDirectory, clock: clock, logger: logger)
    }

    /// Sends every bot's activity to the WebSocket clients.
    func connectLiveFeed() {
        let hub = self.hub
        let fleet = self.fleet
        let clock = self.clock
        let metrics = self.metrics
        fleet.listen { id, activity in
            metrics.record(activity, bot: id, now: clock.now())
            // Nobody listening: no JSON is built on the bot's task.
            guard hub.clientCount > 0 else { return }
            let market = fleet.market(of: id)
            for event in LiveEvent.from(activity, bot: id, market: market, now: clock.now()) { hub.publish(event) }
        }
    }

    /// A venue's instrument directory.
    /// - Throws: ``APIError`` 400 at `venue` naming the venues there are.
    func directory(_ venue: String) throws -> any InstrumentDirectory {
        guard let directory = directories[venue] else {
            throw APIError.badRequest(
                "venue must be one of \(directories.keys.sorted().joined(separator: ", "))", field: "venue")
        }
        return directory
    }

    /// What the venue lists now.
    /// - Throws: ``APIError`` 502 `venue_unavailable` when the venue does not answer.
    func instruments(of directory: any InstrumentDirectory) async throws -> [ListedInstrument] {
        do {
            return try await directory.listInstruments()
        } catch {
            throw APIError(
                .badGateway, code: "venue_unavailable",
                message: "\(directory.venue) did not list its instruments: \(error)", field: "venue")
        }
    }

    /// Seed 000's WebSocket actions on the portfolio bot.
    var portfolio: PortfolioChannel { PortfolioChannel(database: database, clock: clock) }

    /// Appends to the audit log; a failure is logged, never fails the request that caused it.
    func audit(
        _ userID: Int64?, _ username: String, _ action: String, target: String = "", detail: String = "",
        address: String = ""
    ) async {
        do {
            try await database.auditLog.append(
                AuditEntry(
                    at: clock.now(), userID: userID, username: username, action: action, target: target,
                    detail: detail, address: address))
        } catch {
            logger.error("audit log write failed", metadata: ["action": .string(action), "error": "\(error)"])
        }
    }
}
