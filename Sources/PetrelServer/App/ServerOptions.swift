import PetrelExchanges
import PetrelNotifications
import PetrelRuntime

/// How `petrel serve` runs.
public struct ServerOptions: Sendable {
    /// The address to bind (default loopback only).
    public var host: String
    public var port: Int
    /// The database, secrets and logs live here.
    public var dataDirectory: String
    /// Browser origins allowed by CORS (exact, e.g. `https://desk.example.com`); empty: none.
    public var allowedOrigins: Set<String>
    /// Requests per second per client address (bursts of twice that); 0 turns the limit off.
    public var rateLimit: Double
    /// Create and start the demo bot on a new database.
    public var demo: Bool
    /// Bots' log lines also on standard error.
    public var botConsole: Bool
    /// A JSON file with the server's `notifications` section (seed 002's format; secrets as `${ENV}`):
    /// the channels of `POST /api/send_alert` and of bots whose config has none.
    public var notificationsFile: String?
    /// Answer Telegram commands (`/status`, `/stop BOT`, …) from the chats of the server's Telegram channel.
    public var telegramCommands = false
    /// The Telegram and Twilio base URLs (a self-hosted Bot API server; tests).
    public var notificationEndpoints = NotificationSetup.Endpoints()
    /// Binance's REST base URL for symbol discovery and coin search (`nil`: only the simulated venue is
    /// listed, and the server contacts no venue).
    public var binanceURL: String?
    /// OKX's REST base URL for symbol discovery of its USDT perpetual swaps (`nil`: OKX is not listed).
    public var okxURL: String?

    public init(
        host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String = "petrel-data",
        allowedOrigins: Set<String> = [], rateLimit: Double = 100, demo: Bool = true, botConsole: Bool = false,
        notificationsFile: String? = nil
    ) {
        self.notificationsFile = notificationsFile
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.allowedOrigins = allowedOrigins
        self.rateLimit = rateLimit
        self.demo = demo
        self.botConsole = botConsole
    }

    /// Whether the bind address is reachable only from this machine.
    public var isLoopback: Bool {
        host == "127.0.0.1" || host == "::1" || host == "localhost" || host.hasPrefix("127.")
    }
}

extension ServerOptions {
    /// The venues symbol discovery and coin search list besides the simulated one (none contacted unless
    /// its URL is given).
    var venueDirectories: [any InstrumentDirectory] {
        var directories: [any InstrumentDirectory] = []
        if let binanceURL { directories.append(BinanceInstrumentDirectory(client: BinanceClient(baseURL: binanceURL))) }
        if let okxURL { directories.append(OKXInstrumentDirectory(client: OKXClient(baseURL: okxURL))) }
        return directories
    }
}
