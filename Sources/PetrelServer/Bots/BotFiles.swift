import Foundation
import PetrelRuntime

/// What `bot run`, `runbot` and `serve` all do with a bot's files and secrets.
public enum BotFiles {
    /// Registers the value of every secret a config refers to with the one redactor, so no log
    /// line ever shows it.
    public static func registerSecrets(_ secrets: [ConfigSecret]) {
        for secret in secrets {
            if let value = ProcessInfo.processInfo.environment[secret.reference.name] {
                SecretRedactor.shared.register(value)
            }
        }
    }

    /// Opens the bot's log files under the data directory.
    /// - Throws: ``BotSetupError`` naming the directory.
    public static func openActivityLog(
        botID: String, dataDirectory: String, options: BotActivityLog.Options
    ) throws(BotSetupError) -> BotActivityLog {
        do {
            return try BotActivityLog(botID: botID, dataDirectory: dataDirectory, options: options)
        } catch {
            throw BotSetupError("cannot open the log files under \(dataDirectory): \(error.localizedDescription)")
        }
    }

    /// `DATA_DIR/bots/<id>/status.json`, which a running bot refreshes every second.
    public static func statusPath(dataDirectory: String, bot: String) -> String {
        (dataDirectory as NSString).appendingPathComponent("bots/\(bot)/status.json")
    }

    /// Writes a status file atomically (a reader never sees half of it); failures are ignored, the
    /// next second writes again.
    public static func writeStatus(_ status: some Encodable, to path: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(status) else { return }
        let url = URL(fileURLWithPath: path)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? data.write(to: url, options: .atomic)
    }
}
