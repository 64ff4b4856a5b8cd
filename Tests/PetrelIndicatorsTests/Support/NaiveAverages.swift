import Foundation

/// Reference formulas written directly from their published definitions: whole-window loops,
/// O(n · period), no running sums and no code shared with the implementation.
enum Naive {
    static func mean(_ x: ArraySlice<Double>) -> Double {
        var total = 0.0
        for v in x { total += v }
        return total / Double(x.count)
    }

    /// Population variance by the two-pass formula.
    static func variance(_ x: ArraySlice<Double>, sample: Bool = false) -> Double {
        let m = mean(x)
        var squares = 0.0
        for v in x { squares += (v - m) * (v - m) }
        return squares / Double(sample ? x.count - 1 : x.count)
    }

    /// `value(t)` for every t whose window `t−n+1 … t` lies in the series, else nil.
    static func windowed(_ count: Int, _ n: Int, _ value: (ClosedRange<Int>) -> Double) -> [Double?] {
        (0..<count).map { t in t >= n - 1 ? value((t - n + 1)...t) : nil }
    }

    static func sma(_ x: [Double], _ n: Int) -> [Double?] {
        windowed(x.count, n) { mean(x[$0]) }
    }

    /// EMA with k = 2/(n+1), seeded by the mean of the n inputs ending at `seedEnd`
    /// (TA-Lib: the first n inputs).
    static func ema(_ x: [Double], _ n: Int, seedEnd: Int? = nil) -> [Double?] {
        let end = seedEnd ?? n - 1
        var out = [Double?](repeating: nil, count: x.count)
        guard end < x.count else { return out }
        let k = 2 / Double(n + 1)
        var previous = mean(x[(end - n + 1)...end])
        out[end] = previous
        for t in (end + 1)..<x.count {
            previous = previous + k * (x[t] - previous)
            out[t] = previous
        }
        return out
    }

    static func wma(_ x: [Double], _ n: Int) -> [Double?] {
        let denominator = Double(n * (n + 1) / 2)
        return windowed(x.count, n) { window in
            var total = 0.0
            for (offset, index) in window.enumerated() { total += Double(offset + 1) * x[index] }
            return total / denominator
        }
    }

    /// TA-Lib MACD: slow EMA seeded on inputs 0…slow−1, fast EMA seeded on the `fast` inputs
    /// ending at slow−1, signal EMA seeded on the first `signal` MACD values.
    static func macd(_ x: [Double], _ fast: Int, _ slow: Int, _ signal: Int) -> (
        macd: [Double?], signal: [Double?], histogram: [Double?]
    ) {
        let slowLine = ema(x, slow)
        let fastLine = ema(x, fast, seedEnd: slow - 1)
        let line: [Double] = (slow - 1..<x.count).map { fastLine[$0]! - slowLine[$0]! }
        let signalLine = ema(line, signal)
        var outMACD = [Double?](repeating: nil, count: x.count)
        var outSignal = outMACD
        var outHistogram = outMACD
        for (offset, s) in signalLine.enumerated() {
            guard let s else { continue }
            let t = offset + slow - 1
            outMACD[t] = line[offset]
            outSignal[t] = s
            outHistogram[t] = line[offset] - s
        }
        return (outMACD, outSignal, outHistogram)
    }

    static func standardDeviation(_ x: [Double], _ n: Int) -> [Double?] {
        windowed(x.count, n) { variance(x[$0]).squareRoot() }
    }

    static func bollinger(_ x: [Double], _ n: Int, _ k: Double) -> (
        upper: [Double?], middle: [Double?], lower: [Double?]
    ) {
        let middle = sma(x, n)
        let deviation = standardDeviation(x, n)
        let upper = zip(middle, deviation).map { m, d in m.map { $0 + k * d! } }
        let lower = zip(middle, deviation).map { m, d in m.map { $0 - k * d! } }
        return (upper, middle, lower)
    }

    static func logVolatility(_ x: [Double], _ n: Int, periodsPerYear: Double = 1) -> [Double?] {
        (0..<x.count).map { t in
            guard t >= n else { return nil }
            let returns = ((t - n + 1)...t).map { log(x[$0] / x[$0 - 1]) }
            return variance(returns[...], sample: true).squareRoot() * periodsPerYear.squareRoot()
        }
    }

    static func roc(_ x: [Double], _ n: Int) -> [Double?] {
        (0..<x.count).map { t in
            guard t >= n else { return nil }
            return x[t - n] == 0 ? 0 : (x[t] - x[t - n]) / x[t - n] * 100
        }
    }
}
