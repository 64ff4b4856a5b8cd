import ArgumentParser
import Foundation
import PetrelCore
import PetrelPersistence
import PetrelRuntime
import PetrelServer

/// `petrel runbot`: seed 000's `python manage.py runbot`, the portfolio bot in the foreground.
struct RunbotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runbot",
        abstract: "Run seed 000's portfolio bot (id 'portfolio') on the simulated market or Uphold until Ctrl-C.",
        discussion: """
            Settings are layered: defaults, then what earlier runs saved, then --config, then the flags; the
            result is saved in DATA_DIR/petrel.sqlite for the next run. With a paper broker the prices come
            from the built-in SIMULATED market (one deterministic synthetic price path per pair, not real
            quotes) and trades go to a paper account kept in the database, so balances survive restarts.
            With "broker": {"type": "uphold", "token": "${UPHOLD_TOKEN}"} (base_url
            https://api-sandbox.uphold.com for Uphold's sandbox) the bot converts between your Uphold cards
            with REAL money, priced by Uphold's tickers.
            --add-pair alone (no other flag that affects a run) stores the pairs and exits.
            SIGINT/SIGTERM: the current cycle ends, state is written, exit 0.
            """)

    /// The id of the portfolio bot; `petrel bot run` refuses it.
    static let botID = BotAssembly.portfolioBotID

    @Option(name: .customLong("risk-level"), help: "Risk tolerance, 0 (conservative) to 1 (aggressive).")
    var riskLevel: String?
    @Option(name: .customLong("min-confidence"), help: "Minimum confidence to trade, 0 to 1.")
    var minConfidence: String?
    @Option(help: "Seconds between checks, 1 to 300.")
    var interval: String?
    @Flag(help: "Decide and record PENDING trades, send no orders.")
    var dryRun = false
    @Option(
        name: .customLong("add-pair"),
        help: ArgumentHelp("Add (or enable) a trading pair, e.g. BTC-USD; repeatable.", valueName: "PAIR"))
    var addPair: [String] = []
    @Option(help: "A portfolio bot's JSON config (\"bot_type\": \"portfolio\").")
    var config: String?
    @Flag(help: "No log lines on the console (files are still written).")
    var quiet = false
    @OptionGroup var data: DataDirectoryOptions

    func run() async throws {
        let request = try RunbotRequest.parse(
            riskLevel: riskLevel, minConfidence: minConfidence, interval: interval, dryRun: dryRun,
            addPairs: addPair, config: config)
        let file = try request.configPath.map(RunbotAssembly.loadConfig)
        let feeRate = try RunbotAssembly.feeRate(file)
        try await data.withDatabase { database in
            try await run(request, file: file, feeRate: feeRate, database: database)
        }
    }

    private func run(
        _ request: RunbotRequest, file: PortfolioBotConfiguration?, feeRate: Double, database: PetrelDatabase
    ) async throws {
        let botID = Self.botID
        let plan = try RunbotPlan.make(
            request: request, configuration: file, stored: try await database.portfolioSettings.load(bot: botID),
            storedPairs: try await database.tradingPairs.pairs(bot: botID), botID: botID, feeRate: feeRate,
            now: LiveClock().now())
        if !request.isAddPairsOnly {
            guard !plan.settings.enabledPairs.isEmpty else {
                throw CLIError(
                    "bot \(botID) has no enabled trading pair: add one with --add-pair BTC-USD (or list trading_pairs in --config)"
                )
            }
        }
        for pair in plan.upserts { try await database.tradingPairs.upsert(pair, bot: botID) }
        if request.isAddPairsOnly {
            for change in plan.pairChanges { print(change.description) }
            print("trading pairs of bot \(botID): " + plan.pairs.map(Self.describe).joined(separator: ", "))
            return
        }
        try await database.portfolioSettings.save(plan.record)
        let assembly = try await RunbotAssembly.make(
            plan: plan, file: file, feeRate: feeRate, dryRun: request.dryRun, quiet: quiet,
            dataDirectory: data.dataDirectory, database: database)
        try await assembly.run()
    }

    static func describe(_ pair: TradingPairSetting) -> String {
        "\(pair.symbol) (priority \(pair.priority), \(pair.isEnabled ? "enabled" : "disabled"))"
    }
}
