import Foundation
import PetrelRuntime
import Synchronization

/// One bot's probe: appends every sample to preallocated arrays (no statistics on the hot path).
final class LatencySamples: BotLatencyProbe {
    struct Buffers {
        var decisions: [Int64] = []
        var orders: [Int64] = []
        /// Orders that were the first one sent for their market event.
        var firstOrders: [Int64] = []
    }

    let buffers: Mutex<Buffers>

    init(expectedCandles: Int) {
        var buffers = Buffers()
        buffers.decisions.reserveCapacity(expectedCandles)
        buffers.orders.reserveCapacity(64)
        self.buffers = Mutex(buffers)
    }

    func record(_ sample: BotLatencySample) {
        buffers.withLock { buffers in
            switch sample.stage {
            case .decision: buffers.decisions.append(sample.nanoseconds)
            case .orderSent:
                buffers.orders.append(sample.nanoseconds)
                if sample.orderInEvent == 1 { buffers.firstOrders.append(sample.nanoseconds) }
            }
        }
    }

    var taken: Buffers { buffers.withLock { $0 } }

    /// Candles decided so far.
    var decided: Int { buffers.withLock { $0.decisions.count } }
}

/// Percentiles of nanosecond samples, by nearest rank over every sample.
struct Distribution {
    let sorted: [Int64]

    init(_ samples: [Int64]) { sorted = samples.sorted() }

    var count: Int { sorted.count }

    /// The smallest sample with at least `fraction` of all samples at or below it.
    func percentile(_ fraction: Double) -> Int64 {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// `count, p50, p90, p99, p99.9, max` in microseconds.
    var summary: String {
        guard !sorted.isEmpty else { return "no samples" }
        func us(_ ns: Int64) -> String { String(format: "%.1f µs", Double(ns) / 1_000) }
        let mean = Double(sorted.reduce(0, +)) / Double(sorted.count)
        return "count \(count), p50 \(us(percentile(0.5))), p90 \(us(percentile(0.9))), "
            + "p99 \(us(percentile(0.99))), p99.9 \(us(percentile(0.999))), max \(us(sorted.last!)), "
            + String(format: "mean %.1f µs", mean / 1_000)
    }
}
