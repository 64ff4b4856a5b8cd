import Foundation
import PetrelCore
import PetrelPersistence
import PetrelRuntime
import Prometheus
import Synchronization

/// The server's Prometheus metrics: HTTP requests and latency, orders by status, fills, errors and feed
/// activity (counted as they happen), and bots by state, P&L, equity and WebSocket clients (read when
/// scraped). One registry per server, so tests never share one.
public final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// Series made once per label set and kept, so counting is a dictionary lookup.
    private let requestCounters = MetricCache<Counter>()
    private let requestDurations = MetricCache<DurationHistogram>()
    private let orderCounters = MetricCache<Counter>()
    private let botCounters = MetricCache<Counter>()
    /// Wall-clock time (ms) of each bot's last candle.
    private let lastCandle = Mutex<[String: Int64]>([:])

    static let latencyBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
    ]

    public init() {}

    /// Counts one HTTP request.
    func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        requestCounters.metric("\(method) \(route) \(status)") {
            registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    namespace: "petrel", metricName: "http_requests", unitName: "total",
                    helpText: "HTTP requests by method, route and status"),
                labels: [("method", method), ("route", route), ("status", String(status))])
        }.increment()
        requestDurations.metric("\(method) \(route)") {
            registry.makeDurationHistogram(
                descriptor: MetricNameDescriptor(
                    namespace: "petrel", metricName: "http_request_duration", unitName: "seconds",
                    helpText: "HTTP request latency by method and route"),
                labels: [("method", method), ("route", route)], buckets: Self.latencyBuckets)
        }.record(duration)
    }

    /// Counts what a bot's activity says about orders, fills, errors and its feed.
    func record(_ activity: BotActivity, bot: String, now: Int64) {
        switch activity {
        case .orderSent: count(order: "submitted")
        case .orderUpdate(let event):
            switch event {
            case .accepted: count(order: "accepted")
            case .filled:
                count(order: "fill")
                count(bot: bot, "fills", help: "Fills by bot")
            case .closed(_, let status, _, _): count(order: status.rawValue)
            case .unknown: count(order: "unknown")
            case .anomaly: count(bot: bot, "errors", help: "Errors and anomalies by bot")
            }
        case .error: count(bot: bot, "errors", help: "Errors and anomalies by bot")
        case .candle: lastCandle.withLock { $0[bot] = now }
        default: break
        }
    }

    private func count(order status: String) {
        orderCounters.metric(status) {
            registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    namespace: "petrel", metricName: "order_events", unitName: "total",
                    helpText:
                        "Order events by status: submitted, accepted, fill, filled, cancelled, rejected, expired, unknown"
                ),
                labels: [("status", status)])
        }.increment()
    }

    private func count(bot: String, _ name: String, help: String) {
        botCounters.metric("\(name) \(bot)") {
            registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    namespace: "petrel", metricName: name, unitName: "total", helpText: help),
                labels: [("bot", bot)])
        }.increment()
    }

    /// The Prometheus text: the counters, plus gauges read now from the fleet, the database and the hub.
    func exposition(services: ServerServices) async -> [UInt8] {
        let now = services.clock.now()
        var counts: [String: Int] = [:]
        for state in BotLifecycle.allCases { counts[state.rawValue] = 0 }
        var databaseUp = 1.0
        do {
            for bot in try await services.fleet.bots.allBots() { counts[bot.lifecycle.rawValue, default: 0] += 1 }
        } catch {
            databaseUp = 0
        }
        for (state, count) in counts {
            gauge("bots", "Bots by lifecycle state", [("state", state)]).set(to: Double(count))
        }
        gauge("database_up", "1 when the database answers", []).set(to: databaseUp)
        for id in await services.fleet.supervisor.botIDs {
            guard let runner = await services.fleet.supervisor.runner(for: id) else { continue }
            let status = await runner.status()
            let unrealized = status.positions.reduce(0.0) { $0 + $1.unrealizedPnL.doubleValue }
            gauge("realized_pnl", "Realised P&L in the quote asset", [("bot", id)]).set(
                to: status.realizedPnL.doubleValue)
            gauge("unrealized_pnl", "Unrealised P&L in the quote asset", [("bot", id)]).set(to: unrealized)
            gauge("equity", "Equity in the quote asset", [("bot", id)]).set(to: status.broker.equity.doubleValue)
            gauge("open_positions", "Open positions", [("bot", id)]).set(to: Double(status.positions.count))
            if let seen = lastCandle.withLock({ $0[id] }) {
                gauge("feed_lag", "Seconds since the bot's last candle arrived", [("bot", id)], unit: "seconds").set(
                    to: Double(now - seen) / 1_000)
            }
        }
        gauge("websocket_clients", "Connected WebSocket clients", []).set(to: Double(services.hub.clientCount))
        gauge("websocket_dropped_clients", "WebSocket clients dropped as too slow since the start", []).set(
            to: Double(services.hub.droppedClients))
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        return bytes
    }

    private func gauge(_ name: String, _ help: String, _ labels: [(String, String)], unit: String = "") -> Gauge {
        let descriptor = MetricNameDescriptor(namespace: "petrel", metricName: name, unitName: unit, helpText: help)
        return labels.isEmpty
            ? registry.makeGauge(descriptor: descriptor) : registry.makeGauge(descriptor: descriptor, labels: labels)
    }
}

/// Metric series by key, each made once.
final class MetricCache<Metric: Sendable>: Sendable {
    private let table = Mutex<[String: Metric]>([:])

    /// The series for `key`, made by `make` the first time.
    func metric(_ key: String, make: () -> Metric) -> Metric {
        table.withLock { table in
            if let metric = table[key] { return metric }
            let metric = make()
            table[key] = metric
            return metric
        }
    }
}
