import Foundation
import Logging
import PetrelCore

extension BotActivityLog {
    /// Records one event of a seed-000 portfolio bot: log lines for prices, decisions, trades and errors,
    /// and one JSON line per executed, failed or dry-run trade in `logs/json/trades.json` (the trade-history
    /// record with the seed's keys, its legs and the reason).
    /// - Parameters:
    ///   - event: what the runner reported.
    ///   - priceLabel: appended to every price line (`simulated` when the prices are not a venue's).
    public func record(_ event: PortfolioBotEvent, priceLabel: String? = nil) {
        switch event {
        case .priceUpdate(let quote):
            let label = priceLabel.map { " (\($0))" } ?? ""
            logger.debug("price \(quote.symbol) bid \(quote.bid) ask \(quote.ask)\(label)")
        case .tradeExecuted(let result):
            logger.info(
                "trade \(Self.summary(result.record)) EXECUTED: \(result.legs.map(\.description).joined(separator: "; "))"
            )
            trades?.write(line: Self.json(result, event: "trade_executed", bot: botID))
        case .tradeFailed(let result):
            logger.warning("trade \(Self.summary(result.record)) FAILED: \(result.reason ?? "no reason given")")
            trades?.write(line: Self.json(result, event: "trade_failed", bot: botID))
        case .error(let message):
            logger.error("\(message)")
        case .cycleCompleted(let report):
            if let decision = report.decision {
                logger.info("decision: \(decision.reasoning)")
            }
            if let reason = report.notTradedReason { logger.warning("not traded: \(reason)") }
            if let trade = report.trade, trade.legs.isEmpty, trade.record.status == .pending {
                logger.info("dry run: \(Self.summary(trade.record)) recorded as PENDING, nothing sent")
                trades?.write(line: Self.json(trade, event: "dry_run", bot: botID))
            }
        }
    }

    static func summary(_ record: TradeHistoryRecord) -> String {
        "#\(record.id ?? 0) \(record.decision.rawValue) \(record.amount) \(record.fromPair)→\(record.toPair)"
    }

    static func json(_ result: PortfolioTradeResult, event: String, bot: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let record = (try? encoder.encode(result.record)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
        let legs = "[" + result.legs.map { quote($0.description) }.joined(separator: ",") + "]"
        return encode([
            "event": .string(event), "bot_id": .string(bot), "trade": .raw(record), "legs": .raw(legs),
            "reason": result.reason.map { .string($0) } ?? .null,
        ])
    }
}
