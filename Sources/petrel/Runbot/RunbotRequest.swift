import Foundation
import PetrelCore
import PetrelRuntime

/// What one `petrel runbot` call asks for, its flags checked: seed 000's `--risk-level`,
/// `--min-confidence`, `--interval`, `--dry-run` and `--add-pair`, plus `--config`.
struct RunbotRequest: Sendable, Equatable {
    /// `--risk-level`: the risk tolerance, 0–1.
    var riskLevel: Double?
    /// `--min-confidence`: the lowest confidence traded, 0–1.
    var minConfidence: Double?
    /// `--interval`: seconds between checks, 1–300.
    var intervalSeconds: Int?
    /// `--dry-run`: decide and record, send nothing.
    var dryRun = false
    /// `--add-pair`, in the order given, each once.
    var addPairs: [Symbol] = []
    /// `--config`: a `"bot_type": "portfolio"` file.
    var configPath: String?

    /// Seed 000's `python manage.py runbot --add-pair BTC-USD`: pairs to add and nothing that affects a
    /// run, so the command stores the pairs and exits.
    var isAddPairsOnly: Bool {
        !addPairs.isEmpty && riskLevel == nil && minConfidence == nil && intervalSeconds == nil && !dryRun
            && configPath == nil
    }

    /// Checks the flags' text. Nothing is read or written.
    /// - Throws: ``CLIError`` naming the flag, the value and what is allowed.
    static func parse(
        riskLevel: String?, minConfidence: String?, interval: String?, dryRun: Bool, addPairs: [String],
        config: String?
    ) throws -> RunbotRequest {
        var request = RunbotRequest(dryRun: dryRun, configPath: config)
        request.riskLevel = try riskLevel.map { try fraction($0, flag: "--risk-level") }
        request.minConfidence = try minConfidence.map { try fraction($0, flag: "--min-confidence") }
        request.intervalSeconds = try interval.map { text in
            guard let seconds = Int(text.trimmingCharacters(in: .whitespaces)),
                PortfolioBotRunner.checkIntervalRange.contains(seconds)
            else {
                throw CLIError("--interval '\(text)' is out of range: expected whole seconds from 1 to 300")
            }
            return seconds
        }
        for text in addPairs {
            let symbol = try pair(text)
            if !request.addPairs.contains(symbol) { request.addPairs.append(symbol) }
        }
        if let config, config.isEmpty {
            throw CLIError("--config '' names no file: expected a portfolio bot's JSON file")
        }
        return request
    }

    /// A number from 0 to 1 (a `Double`: a threshold compared with statistics, not money).
    static func fraction(_ text: String, flag: String) throws -> Double {
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite, (0...1).contains(value)
        else {
            throw CLIError("\(flag) '\(text)' is out of range: expected a number from 0 to 1")
        }
        return value
    }

    /// A spot pair in any spelling `Symbol` reads (`BTC-USD`, `BTC/USD`, `BTCUSDT`).
    static func pair(_ text: String) throws -> Symbol {
        let symbol: Symbol
        do {
            symbol = try Symbol(parsing: text)
        } catch {
            throw CLIError("--add-pair '\(text)' is not a trading pair (\(error)); expected e.g. BTC-USD")
        }
        guard symbol.kind == .spot else {
            throw CLIError(
                "--add-pair '\(text)' is a perpetual swap; a portfolio bot trades spot pairs such as BTC-USD")
        }
        return symbol
    }
}
