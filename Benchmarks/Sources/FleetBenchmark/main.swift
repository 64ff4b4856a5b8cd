import Foundation
import PetrelCore
import PetrelMarketData
import PetrelRuntime
import PetrelStrategies

/// The peak and current resident set of this process (`VmHWM`, `VmRSS` in /proc/self/status), in KB.
func residentKilobytes() -> (peak: Int, current: Int) {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
    func field(_ name: String) -> Int {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return 0 }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
    }
    return (field("VmHWM"), field("VmRSS"))
}

let options: FleetOptions
do {
    options = try FleetOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    print(error)
    exit(2)
}

let perBot = options.lookback + options.candles
var markets: [CandleSeries] = []
for file in options.files {
    let series = try CandleSeries.load(from: URL(fileURLWithPath: file))
    guard series.candles.count >= perBot else {
        print("\(file) has \(series.candles.count) candles; \(perBot) are needed per bot")
        exit(2)
    }
    markets.append(
        CandleSeries(
            symbol: series.symbol, timeframe: series.timeframe, candles: Array(series.candles.prefix(perBot)),
            source: file))
}
let strategies = try options.strategies.map { try StrategyRegistry.strategy(named: $0) }
let fleet = (0..<options.bots).map { index in
    FleetBot(
        id: String(format: "bot%04d", index), series: markets[index % markets.count],
        strategy: strategies[(index / markets.count) % strategies.count],
        probe: LatencySamples(expectedCandles: options.candles))
}
let byID = Dictionary(uniqueKeysWithValues: fleet.map { ($0.id, $0) })
let stores = FleetStores()
for bot in fleet {
    try await stores.bots.save(BotRecord(id: bot.id, configuration: "{}", mode: .paper, createdAt: 0))
}
let activity = FleetActivity()
let assembly = FleetAssembly(stores: stores, lookback: options.lookback, activity: activity)
let supervisor = BotSupervisor(
    bots: stores.bots, clock: LiveClock(), sleeper: TaskSleeper(),
    policy: BotSupervisor.Policy(maxConsecutiveCrashes: 1),
    observe: { id, activity in
        if case .lifecycle(.crashed, let reason) = activity { print("\(id) crashed: \(reason ?? "")") }
    },
    factory: { id in
        guard let bot = byID[id] else { throw FleetError("unknown bot \(id)") }
        return try await assembly.makeRunner(bot)
    })

let before = residentKilobytes()
print(
    "\(options.bots) bots, \(options.candles) candles each after \(options.lookback) warm-up candles, "
        + "strategies \(options.strategies.joined(separator: ", ")), markets \(options.files.joined(separator: ", "))")
/// Candles the replays have delivered that their bots have not decided on yet (queued in the bots'
/// event streams), sampled every 100 ms: the full-speed replay runs ahead of the bots.
let lead = Task {
    var largest = 0
    while !Task.isCancelled {
        var total = 0
        for bot in fleet {
            let replayed = bot.replay.replayed ?? options.lookback
            total += max(0, replayed - options.lookback - bot.probe.decided)
        }
        largest = max(largest, total)
        try? await Task.sleep(for: .milliseconds(100))
    }
    return largest
}
let clock = ContinuousClock()
let started = clock.now
for bot in fleet { await supervisor.start(bot.id) }
var finished = 0
for bot in fleet where await supervisor.wait(for: bot.id) == .marketFinished { finished += 1 }
let wall = clock.now - started
lead.cancel()
let largestLead = await lead.value
let after = residentKilobytes()

var decisions: [Int64] = []
var orders: [Int64] = []
var firstOrders: [Int64] = []
decisions.reserveCapacity(options.bots * options.candles)
for bot in fleet {
    let taken = bot.probe.taken
    decisions += taken.decisions
    orders += taken.orders
    firstOrders += taken.firstOrders
}
let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
print("bots finished: \(finished) of \(options.bots); \(activity.summary)")
for line in activity.examples.withLock({ $0 }) { print("  \(line)") }
print(String(format: "wall time: %.2f s, %.0f candles/s", seconds, Double(decisions.count) / seconds))
print("candle-to-decision: \(Distribution(decisions).summary)")
print("market-event-to-order-sent, every order: \(Distribution(orders).summary)")
print("market-event-to-order-sent, first order of its event: \(Distribution(firstOrders).summary)")
print("largest replay lead: \(largestLead) candles queued in all bots' streams together")
print("RSS: \(after.peak / 1_024) MB peak (before the bots started: \(before.current / 1_024) MB)")
