import Benchmark
import PetrelIndicators

/// A deterministic random walk of closes (no file I/O inside the measured loop).
let closes: [Double] = {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    var price = 30_000.0
    return (0..<1_000_000).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        price *= 1 + (Double(state >> 11) / Double(1 << 53) - 0.5) * 0.002
        return price
    }
}()

/// Each benchmark feeds one million closes; the reported time per "operation" is one update
/// because of `scalingFactor: .mega`.
let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput], scalingFactor: .mega, maxDuration: .seconds(3))
    Benchmark("SMA(20) update", configuration: configuration) { benchmark in
        var sma = SMA(period: 20)
        for close in closes { blackHole(sma.update(close)) }
    }
    Benchmark("EMA(20) update", configuration: configuration) { benchmark in
        var ema = EMA(period: 20)
        for close in closes { blackHole(ema.update(close)) }
    }
    Benchmark("RSI(14) update", configuration: configuration) { benchmark in
        var rsi = RSI(period: 14)
        for close in closes { blackHole(rsi.update(close)) }
    }
    Benchmark("BollingerBands(20, 2) update", configuration: configuration) { benchmark in
        var bands = BollingerBands(period: 20, deviations: 2)
        for close in closes { blackHole(bands.update(close)) }
    }
}
