import ArgumentParser
import Foundation
import PetrelNotifications
import PetrelRuntime

/// `petrel notify …`: notification channels.
struct NotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify", abstract: "Check notification channels.", subcommands: [NotifyTestCommand.self])
}

/// `petrel notify test --channel telegram --config bot.json`: sends one message now and prints the outcome.
struct NotifyTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Send a test message through one channel of a config's notifications section.",
        discussion: """
            The config is a bot config (seed 002) or a file holding only {"notifications": {...}}; secrets such as
            "bot_token": "${TELEGRAM_BOT_TOKEN}" come from the environment. The channel is used even when it is not
            enabled in the file. Exit code 0 when the message was delivered, 1 when not.

            Examples:
              TELEGRAM_BOT_TOKEN=123:abc petrel notify test --channel telegram --config config/0001.json
              petrel notify test --channel webhook --config notifications.json --message "hello from Petrel"
            """)

    @Option(help: "telegram, email, webhook or sms.")
    var channel: String
    @Option(help: "The JSON file with the notifications section.")
    var config: String
    @Option(help: "The text to send.")
    var message = "Petrel test message: this channel works."
    @OptionGroup var services: NotificationEndpointOptions

    func validate() throws {
        guard ["telegram", "email", "webhook", "sms"].contains(channel) else {
            throw ValidationError("--channel '\(channel)' is not a channel; allowed: telegram, email, webhook, sms")
        }
    }

    func run() async throws {
        let data = try StrategyOptions.readConfig(config)
        let section: BotConfiguration.Notifications?
        do {
            section = try BotConfiguration.parseNotificationsSection(data, source: config)
        } catch {
            throw CLIError(error.description)
        }
        let built: (routes: [NotificationDispatcher.Route], unavailable: [(String, String)])
        do {
            built = try NotificationSetup.routes(
                for: section, environment: ProcessInfo.processInfo.environment,
                endpoints: services.endpoints, only: channel)
        } catch {
            throw CLIError("\(config): \(error)")
        }
        if let (name, why) = built.unavailable.first {
            throw CLIError("\(name): \(why)")
        }
        let dispatcher = NotificationDispatcher(routes: built.routes)
        let outcomes = await dispatcher.deliver(
            NotificationMessage(
                event: .manual, title: "Petrel test", body: message, timestamp: LiveClock().now()))
        var failed = false
        for (name, error) in outcomes {
            if let error {
                failed = true
                Terminal.note("\(name): not delivered: \(error)")
            } else {
                print("\(name): delivered")
            }
        }
        if failed { throw ExitCode(1) }
    }
}
