import PetrelCore
import PetrelNotifications
import PetrelPersistence
import PetrelRuntime

/// The answers to Telegram commands (`petrel serve --telegram-commands`, `petrel bot run
/// --telegram-commands`): every bot of the fleet, read and controlled from the chats configured in the
/// Telegram channel. Actions are written to the audit log as the chat that asked.
public struct FleetTelegramCommands: TelegramCommandHandler {
    let fleet: BotFleet
    let clock: any TradingClock
    /// The bots answered for (`nil`: every bot of the fleet's database).
    let only: Set<String>?

    /// - Parameters:
    ///   - fleet: the bots answered for.
    ///   - clock: the audit entries' time.
    ///   - only: limits the commands to these bots (`petrel bot run` answers for its own bot only, not for
    ///     the other bots stored in the same data directory).
    public init(fleet: BotFleet, clock: any TradingClock = LiveClock(), only: Set<String>? = nil) {
        self.fleet = fleet
        self.clock = clock
        self.only = only
    }

    public func handle(_ command: TelegramCommand, arguments: [String], chat: String) async -> String {
        do {
            switch command {
            case .help: return "<b>Petrel commands</b>\n" + TelegramCommand.helpText
            case .status: return try await status()
            case .profit, .daily, .balance: return try await figures(command)
            case .trades: return try await trades(arguments)
            case .start, .stop, .pause, .stopentry, .forceexit: return try await act(command, arguments, chat: chat)
            }
        } catch {
            return "⚠️ " + TelegramChannel.escape(ErrorMiddleware<ServerContext>.map(error).message)
        }
    }

    func bots() async throws -> [BotRecord] {
        try await fleet.bots.allBots().filter { $0.id != BotAssembly.portfolioBotID && only?.contains($0.id) ?? true }
    }

    func status() async throws -> String {
        var lines = ["<b>Bots</b>"]
        for record in try await bots() {
            var line = "<b>\(e(record.id))</b> \(record.lifecycle.rawValue), trading \(record.tradingState.rawValue)"
            if let status = await fleet.status(id: record.id) {
                line += " · equity \(status.broker.equity) \(e(status.broker.quoteAsset))"
                for position in status.positions {
                    line += " · \(position.quantity) \(e(position.symbol.description)) (\(position.unrealizedPnL))"
                }
            }
            lines.append(line)
        }
        return lines.count == 1 ? "No bots." : lines.joined(separator: "\n")
    }

    /// `/profit`, `/daily` and `/balance` from the same analytics as the API.
    func figures(_ command: TelegramCommand) async throws -> String {
        var lines: [String] = [
            command == .profit ? "<b>Profit</b>" : command == .daily ? "<b>Today</b>" : "<b>Balance</b>"
        ]
        for record in try await bots() {
            guard let bot = try? await BotAnalytics.load(record, fleet: fleet, from: nil, to: nil) else {
                lines.append("<b>\(e(record.id))</b> cannot be read now")
                continue
            }
            let quote = e(bot.quoteAsset)
            switch command {
            case .profit:
                let wins = bot.trades.filter { $0.netPnL.isPositive }.count
                let total = bot.equity - bot.initialBalance
                lines.append(
                    "<b>\(e(record.id))</b> total \(total) \(quote) · realised \(bot.realizedPnL) · "
                        + "\(bot.trades.count) trades, \(wins) won")
            case .daily:
                let today = bot.pnlToday.map { "\($0.amount) \(quote)" } ?? "no bars yet"
                lines.append("<b>\(e(record.id))</b> \(today)")
            default:
                lines.append(
                    "<b>\(e(record.id))</b> equity \(bot.equity) \(quote) (started with \(bot.initialBalance))")
            }
        }
        return lines.count == 1 ? "No bots." : lines.joined(separator: "\n")
    }

    func trades(_ arguments: [String]) async throws -> String {
        let record = try await bot(arguments, for: .trades)
        let outcome = try await fleet.ledger.outcome(bot: record.id)
        let latest = outcome.trades.suffix(5).reversed()
        guard !latest.isEmpty else { return "<b>\(e(record.id))</b> has no closed trades." }
        var lines = ["<b>Latest trades of \(e(record.id))</b>"]
        for trade in latest {
            lines.append(
                "\(trade.direction) \(trade.quantity) \(e(trade.symbol.description)) \(trade.entryPrice) → "
                    + "\(trade.exitPrice): \(trade.netPnL) (\(e(trade.exitReason)))")
        }
        return lines.joined(separator: "\n")
    }

    func act(_ command: TelegramCommand, _ arguments: [String], chat: String) async throws -> String {
        let record = try await bot(arguments, for: command)
        switch command {
        case .start: try await fleet.start(id: record.id)
        case .stop: try await fleet.stop(id: record.id)
        case .pause, .stopentry: try await fleet.pause(id: record.id)
        default:
            guard await fleet.supervisor.runner(for: record.id) != nil else {
                return "<b>\(e(record.id))</b> is not running."
            }
            await fleet.supervisor.halt(record.id, reason: "forceexit from Telegram chat \(chat)")
        }
        try? await fleet.database.auditLog.append(
            AuditEntry(
                at: clock.now(), userID: nil, username: "telegram:\(chat)", action: "bot_\(command.rawValue)",
                target: "bot:\(record.id)", detail: "telegram command", address: ""))
        return "<b>\(e(record.id))</b>: \(command.rawValue) done."
    }

    /// The bot named in the arguments (or the only bot).
    func bot(_ arguments: [String], for command: TelegramCommand) async throws -> BotRecord {
        let all = try await bots()
        if let id = arguments.first {
            guard let record = all.first(where: { $0.id == id }) else {
                throw APIError.notFound("no bot '\(id)'; /status lists them")
            }
            return record
        }
        guard all.count == 1, let only = all.first else {
            throw APIError.badRequest("name the bot: /\(command.rawValue) BOT (/status lists them)")
        }
        return only
    }

    func e(_ text: String) -> String { TelegramChannel.escape(text) }
}
