import ArgumentParser
import Foundation
import Logging
import PetrelNotifications
import PetrelServer

/// `petrel serve`: the API, the bots and (later) the dashboard in one process.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the REST API and run the bots (paper trading) until Ctrl-C.",
        discussion: """
            Everything lives in the data directory: petrel.sqlite, secrets/jwt.key (created 0600 on first start; or \
            PETREL_JWT_SECRET), logs/. The first start creates the user 'admin' (password printed once, or \
            PETREL_ADMIN_PASSWORD) and a demo bot on the simulated market. Bots that were running when the server \
            stopped start again. SIGINT/SIGTERM: every bot stops with its state written, then the server exits 0.
            """)

    @Option(help: "Address to bind. Anything but loopback is reachable from other machines.")
    var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port, printed at start).")
    var port = 8080
    @Option(name: .customLong("data-dir"), help: "Data directory (database, secrets, logs).")
    var dataDirectory = "petrel-data"
    @Option(
        name: .customLong("cors-origin"),
        help: "A browser origin allowed to call the API (repeatable; none by default), e.g. https://desk.example.com")
    var corsOrigins: [String] = []
    @Option(help: "Requests per second per client address (bursts of twice that); 0 turns the limit off.")
    var rateLimit: Double = 100
    @Flag(help: "Do not create the demo bot on a new database.")
    var noDemo = false
    @Flag(help: "Also print the bots' log lines on the console.")
    var botLogs = false
    @Option(
        help:
            "JSON file with the server's notifications section (seed 002 format, secrets as ${ENV}): channels of send_alert and of bots without their own."
    )
    var notifications: String?
    @Flag(
        help:
            "Answer Telegram commands (/status, /profit, /balance, /trades, /start, /stop, /pause, /stopentry, /forceexit, /daily, /help) from the chats of the --notifications Telegram channel."
    )
    var telegramCommands = false
    @OptionGroup var services: NotificationEndpointOptions
    @Option(
        help:
            "Binance's REST base URL for symbol discovery and coin search (https://api.binance.com, or the test network); unset, only the simulated venue is listed."
    )
    var binanceURL: String?
    @Option(
        help:
            "OKX's REST base URL for symbol discovery of its USDT perpetual swaps (https://www.okx.com); unset, OKX is not listed."
    )
    var okxURL: String?

    func validate() throws {
        for (option, value) in [("--binance-url", binanceURL), ("--okx-url", okxURL)] {
            guard let value else { continue }
            guard let url = URL(string: value), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("\(option) '\(value)' must be an http or https URL")
            }
        }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard rateLimit >= 0, rateLimit.isFinite else { throw ValidationError("--rate-limit must be 0 or more") }
        for origin in corsOrigins {
            guard let url = URL(string: origin), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
                url.path.isEmpty || url.path == "/"
            else {
                throw ValidationError("--cors-origin '\(origin)' must be an origin like https://desk.example.com")
            }
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        var options = ServerOptions(
            host: host, port: port, dataDirectory: dataDirectory, allowedOrigins: Set(corsOrigins),
            rateLimit: rateLimit, demo: !noDemo, botConsole: botLogs, notificationsFile: notifications)
        options.notificationEndpoints = services.endpoints
        options.telegramCommands = telegramCommands
        options.binanceURL = binanceURL
        options.okxURL = okxURL
        let runner: PetrelServerRunner
        do {
            runner = try await PetrelServerRunner.prepare(
                options: options, environment: ProcessInfo.processInfo.environment,
                output: { line in Terminal.line(line) })
        } catch {
            throw CLIError(error.description)
        }
        let host = self.host
        try await runner.run { port in
            Terminal.line("petrel serve: listening on http://\(host.contains(":") ? "[\(host)]" : host):\(port)")
        }
    }
}
