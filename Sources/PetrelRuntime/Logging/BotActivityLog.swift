import Foundation
import Logging
import PetrelCore

/// Turns a bot's ``BotActivity`` into its logs (seed 002's files, under a data directory):
/// the per-bot log (`logs/live/<bot>.log`, or the config's `logging.log_file`), JSON lines in
/// `logs/json/trades.json` and `logs/json/orders.json`, the equity curve `logs/equity/<bot>.csv`
/// and `logs/errors.log`. Every line passes through ``SecretRedactor``.
public final class BotActivityLog: Sendable {
    /// Which files to write.
    public struct Options: Sendable {
        public var level: Logger.Level
        public var saveTrades: Bool
        public var saveEquityCurve: Bool
        /// The bot log's path relative to the data directory (`nil`: `logs/live/<bot>.log`).
        public var logFile: String?
        /// Whether log lines also go to standard error.
        public var console: Bool

        public init(
            level: Logger.Level = .info, saveTrades: Bool = true, saveEquityCurve: Bool = true, logFile: String? = nil,
            console: Bool = true
        ) {
            self.level = level
            self.saveTrades = saveTrades
            self.saveEquityCurve = saveEquityCurve
            self.logFile = logFile
            self.console = console
        }
    }

    let botID: String
    /// The bot's logger (console and its file).
    public let logger: Logger
    let botFile: LogFile
    let trades: LogFile?
    let orders: LogFile
    let equity: LogFile?
    let errors: LogFile

    /// Opens the bot's files.
    /// - Throws: when a file cannot be created.
    public init(botID: String, dataDirectory: String, options: Options) throws {
        self.botID = botID
        func path(_ relative: String) -> String {
            relative.hasPrefix("/") ? relative : (dataDirectory as NSString).appendingPathComponent(relative)
        }
        botFile = try LogFile(path: path(options.logFile ?? "logs/live/\(botID).log"))
        trades = options.saveTrades ? try LogFile(path: path("logs/json/trades.json")) : nil
        orders = try LogFile(path: path("logs/json/orders.json"))
        errors = try LogFile(path: path("logs/errors.log"))
        if options.saveEquityCurve {
            let equityPath = path("logs/equity/\(botID).csv")
            let isNew = !FileManager.default.fileExists(atPath: equityPath)
            let file = try LogFile(path: equityPath)
            if isNew { file.write(line: "timestamp,time,equity,cash,drawdown") }
            equity = file
        } else {
            equity = nil
        }
        let file = botFile
        let errorFile = errors
        let console = options.console
        let level = options.level
        logger = Logger(label: botID) { label in
            MultiplexLogHandler([
                PetrelLogHandler(label: label, level: level, file: file, console: console),
                PetrelLogHandler(label: label, level: .error, file: errorFile, console: false),
            ])
        }
    }

    /// Records one activity.
    public func record(_ activity: BotActivity) {
        switch activity {
        case .lifecycle(let state, let reason):
            let line = "lifecycle \(state.rawValue)\(reason.map { ": \($0)" } ?? "")"
            // A crash is an error (it reaches errors.log); the other changes are routine.
            if state == .crashed { logger.error("\(line)") } else { logger.info("\(line)") }
        case .tradingState(let state, let reason, _):
            logger.warning("trading state \(state.rawValue): \(reason)")
        case .candle(let candle):
            logger.debug("candle \(CivilDate.iso8601(milliseconds: candle.timestamp)) close \(candle.close)")
        case .signal(let symbol, let signal, _):
            logger.info("signal \(signal.action.rawValue) \(symbol): \(signal.reasoning)")
        case .skipped(let symbol, let reason, _):
            logger.info("\(symbol): \(reason)")
        case .orderSent(let order):
            logger.info(
                "order \(order.clientOrderID) \(order.side.rawValue) \(order.type.rawValue) \(order.quantity) \(order.symbol)"
            )
            orders.write(line: Self.json(["event": .string("sent"), "bot_id": .string(botID)], order: order))
        case .orderUpdate(let event):
            orders.write(line: Self.json(event, bot: botID))
            switch event {
            case .filled(let fill):
                logger.info(
                    "fill \(fill.clientOrderID) \(fill.side.rawValue) \(fill.quantity) @ \(fill.price) fee \(fill.fee)")
            case .closed(let id, let status, let reason, _):
                logger.info("order \(id) \(status.rawValue)\(reason.map { ": \($0)" } ?? "")")
            case .unknown(let id, let reason, _):
                logger.warning("order \(id) outcome unknown: \(reason)")
            case .anomaly(let id, let message, _):
                logger.warning("order \(id): \(message)")
            case .accepted:
                break
            }
        case .tradeClosed(let trade):
            logger.info(
                "trade closed \(trade.symbol) \(trade.direction) net \(trade.netPnL) (\(trade.exitReason))")
            trades?.write(line: Self.json(trade, bot: botID))
        case .equity(let snapshot):
            equity?.write(
                line:
                    "\(snapshot.timestamp),\(CivilDate.iso8601(milliseconds: snapshot.timestamp)),\(snapshot.equity),\(snapshot.cash),\(snapshot.drawdown)"
            )
        case .notice(let message):
            logger.notice("\(message)")
        case .error(let message):
            logger.error("\(message)")
        }
    }

    /// Closes the files.
    public func close() {
        for file in [botFile, trades, orders, equity, errors] { file?.close() }
    }

    static func json(_ fields: [String: JSONField], order: Order) -> String {
        var all = fields
        all["client_order_id"] = .string(order.clientOrderID.rawValue)
        all["symbol"] = .string(order.symbol.description)
        all["side"] = .string(order.side.rawValue)
        all["type"] = .string(order.type.rawValue)
        all["quantity"] = .raw(order.quantity.description)
        all["price"] = order.price.map { .raw($0.description) } ?? .null
        all["stop_price"] = order.stopPrice.map { .raw($0.description) } ?? .null
        all["reduce_only"] = .raw(order.reduceOnly ? "true" : "false")
        all["timestamp"] = .raw(String(order.createdAt))
        return encode(all)
    }

    static func json(_ event: OrderEvent, bot: String) -> String {
        var all: [String: JSONField] = ["bot_id": .string(bot)]
        switch event {
        case .accepted(let id, let venueID, let timestamp):
            all["event"] = .string("accepted")
            all["client_order_id"] = .string(id.rawValue)
            all["venue_order_id"] = venueID.map { .string($0) } ?? .null
            all["timestamp"] = .raw(String(timestamp))
        case .filled(let fill):
            all["event"] = .string("fill")
            all["client_order_id"] = .string(fill.clientOrderID.rawValue)
            all["trade_id"] = .string(fill.tradeID)
            all["side"] = .string(fill.side.rawValue)
            all["price"] = .raw(fill.price.description)
            all["quantity"] = .raw(fill.quantity.description)
            all["fee"] = .raw(fill.fee.description)
            all["fee_asset"] = .string(fill.feeAsset)
            all["timestamp"] = .raw(String(fill.timestamp))
        case .closed(let id, let status, let reason, let timestamp):
            all["event"] = .string(status.rawValue)
            all["client_order_id"] = .string(id.rawValue)
            all["reason"] = reason.map { .string($0) } ?? .null
            all["timestamp"] = .raw(String(timestamp))
        case .unknown(let id, let reason, let timestamp):
            all["event"] = .string("unknown")
            all["client_order_id"] = .string(id.rawValue)
            all["reason"] = .string(reason)
            all["timestamp"] = .raw(String(timestamp))
        case .anomaly(let id, let message, let timestamp):
            all["event"] = .string("anomaly")
            all["client_order_id"] = .string(id.rawValue)
            all["reason"] = .string(message)
            all["timestamp"] = .raw(String(timestamp))
        }
        return encode(all)
    }

    static func json(_ trade: ClosedTrade, bot: String) -> String {
        encode([
            "bot_id": .string(bot), "symbol": .string(trade.symbol.description), "direction": .string(trade.direction),
            "entry_time": .raw(String(trade.entryTime)), "exit_time": .raw(String(trade.exitTime)),
            "entry_price": .raw(trade.entryPrice.description), "exit_price": .raw(trade.exitPrice.description),
            "quantity": .raw(trade.quantity.description), "gross_pnl": .raw(trade.grossPnL.description),
            "fees": .raw(trade.fees.description), "net_pnl": .raw(trade.netPnL.description),
            "return_pct": .raw((trade.returnFraction * 100).decimalText(4)), "exit_reason": .string(trade.exitReason),
            "entry_reasoning": .string(trade.entryReasoning), "bars_held": .raw(String(trade.barsHeld)),
        ])
    }

    /// A JSON value for the hand-written lines (decimals are written exactly, as numbers).
    enum JSONField {
        case string(String)
        case raw(String)
        case null
    }

    static func encode(_ fields: [String: JSONField]) -> String {
        let body = fields.sorted { $0.key < $1.key }.map { key, value -> String in
            let text: String
            switch value {
            case .string(let string): text = quote(string)
            case .raw(let raw): text = raw
            case .null: text = "null"
            }
            return "\(quote(key)):\(text)"
        }
        return "{" + body.joined(separator: ",") + "}"
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
