import Foundation
import PetrelRuntime

/// What `bot run` and `runbot` both do with a bot's files and secrets.
enum BotFiles {
    /// Registers the value of every secret a config refers to with the one redactor, so no log
    /// line ever shows it.
    static func registerSecrets(_ secrets: [ConfigSecret]) {
        for secret in secrets {
            if let value = ProcessInfo.processInfo.environment[secret.reference.name] {
                SecretRedactor.shared.register(value)
            }
        }
    }

    /// Opens the bot's log files under the data directory.
    /// - Throws: ``CLIError`` naming the directory.
    static func openActivityLog(
        botID: String, dataDirectory: String, options: BotActivityLog.Options
    ) throws -> BotActivityLog {
        do {
            return try BotActivityLog(botID: botID, dataDirectory: dataDirectory, options: options)
        } catch {
            throw CLIError("cannot open the log files under \(dataDirectory): \(error.localizedDescription)")
        }
    }

    /// `DATA_DIR/bots/<id>/status.json`, which a running bot refreshes every second.
    static func statusPath(dataDirectory: String, bot: String) -> String {
        (dataDirectory as NSString).appendingPathComponent("bots/\(bot)/status.json")
    }

    /// Writes a status file atomically (a reader never sees half of it); failures are ignored, the
    /// next second writes again.
    static func writeStatus(_ status: some Encodable, to path: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(status) else { return }
        let url = URL(fileURLWithPath: path)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? data.write(to: url, options: .atomic)
    }
}
