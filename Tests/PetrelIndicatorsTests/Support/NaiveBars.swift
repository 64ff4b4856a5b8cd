/// Reference formulas for bar-based indicators (highs, lows, closes, volumes).
extension Naive {
    static func highest(_ x: [Double], _ window: ClosedRange<Int>) -> Double {
        window.map { x[$0] }.max()!
    }

    static func lowest(_ x: [Double], _ window: ClosedRange<Int>) -> Double {
        window.map { x[$0] }.min()!
    }

    /// True range per bar; bar 0 has no previous close and no true range.
    static func trueRanges(_ s: Series) -> [Double?] {
        (0..<s.count).map { t in
            guard t > 0 else { return nil }
            return max(s.highs[t] - s.lows[t], abs(s.highs[t] - s.closes[t - 1]), abs(s.lows[t] - s.closes[t - 1]))
        }
    }

    /// Wilder average of `values`: mean of `values[first−n+1 … first]`, then (prev·(n−1)+v)/n.
    static func wilder(_ values: [Double?], _ n: Int, first: Int) -> [Double?] {
        var out = [Double?](repeating: nil, count: values.count)
        guard first < values.count else { return out }
        var previous = ((first - n + 1)...first).map { values[$0]! }.reduce(0, +) / Double(n)
        out[first] = previous
        for t in (first + 1)..<values.count {
            previous = (previous * Double(n - 1) + values[t]!) / Double(n)
            out[t] = previous
        }
        return out
    }

    static func atr(_ s: Series, _ n: Int) -> [Double?] {
        wilder(trueRanges(s), n, first: n)
    }

    static func rsi(_ x: [Double], _ n: Int) -> [Double?] {
        let gains: [Double?] = x.indices.map { $0 == 0 ? nil : max(x[$0] - x[$0 - 1], 0) }
        let losses: [Double?] = x.indices.map { $0 == 0 ? nil : max(x[$0 - 1] - x[$0], 0) }
        let averageGain = wilder(gains, n, first: n)
        let averageLoss = wilder(losses, n, first: n)
        return zip(averageGain, averageLoss).map { g, l in
            guard let g, let l else { return nil }
            return g + l == 0 ? 0 : 100 * g / (g + l)
        }
    }

    static func stochastic(_ s: Series, _ fastK: Int, _ slowK: Int, _ slowD: Int) -> (k: [Double?], d: [Double?]) {
        let raw: [Double?] = windowed(s.count, fastK) { window in
            let hh = highest(s.highs, window)
            let ll = lowest(s.lows, window)
            return hh == ll ? 0 : 100 * (s.closes[window.upperBound] - ll) / (hh - ll)
        }
        func smooth(_ values: [Double?], _ n: Int) -> [Double?] {
            values.indices.map { t in
                guard t >= n - 1 else { return nil }
                let window = ((t - n + 1)...t).map { values[$0] }
                guard window.allSatisfy({ $0 != nil }) else { return nil }
                return window.map { $0! }.reduce(0, +) / Double(n)
            }
        }
        let k = smooth(raw, slowK)
        let d = smooth(k, slowD)
        return (zip(k, d).map { $1 == nil ? nil : $0 }, d)
    }

    static func williamsR(_ s: Series, _ n: Int) -> [Double?] {
        windowed(s.count, n) { window in
            let hh = highest(s.highs, window)
            let ll = lowest(s.lows, window)
            return hh == ll ? 0 : -100 * (hh - s.closes[window.upperBound]) / (hh - ll)
        }
    }

    static func cci(_ s: Series, _ n: Int) -> [Double?] {
        let typical = (0..<s.count).map { (s.highs[$0] + s.lows[$0] + s.closes[$0]) / 3 }
        return windowed(s.count, n) { window in
            let average = mean(typical[window])
            let meanDeviation = window.map { abs(typical[$0] - average) }.reduce(0, +) / Double(n)
            let distance = typical[window.upperBound] - average
            return meanDeviation == 0 || distance == 0 ? 0 : distance / (0.015 * meanDeviation)
        }
    }

    static func obv(_ s: Series) -> [Double?] {
        var out: [Double?] = []
        var total = 0.0
        for t in 0..<s.count {
            if t == 0 {
                total = s.volumes[0]
            } else if s.closes[t] > s.closes[t - 1] {
                total += s.volumes[t]
            } else if s.closes[t] < s.closes[t - 1] {
                total -= s.volumes[t]
            }
            out.append(total)
        }
        return out
    }

    static func typicalPrice(_ s: Series, _ t: Int) -> Double { (s.highs[t] + s.lows[t] + s.closes[t]) / 3 }

    static func vwap(_ s: Series, bars: [Int], latest: Int) -> Double {
        let volume = bars.map { s.volumes[$0] }.reduce(0, +)
        let weighted = bars.map { typicalPrice(s, $0) * s.volumes[$0] }.reduce(0, +)
        return volume > 0 ? weighted / volume : typicalPrice(s, latest)
    }

    static func rollingVWAP(_ s: Series, _ n: Int) -> [Double?] {
        windowed(s.count, n) { vwap(s, bars: Array($0), latest: $0.upperBound) }
    }

    /// Session VWAP: all earlier bars whose open time falls in the same `length`-ms session.
    static func sessionVWAP(_ s: Series, length: Int64) -> [Double?] {
        func session(_ t: Int) -> Int64 { Int64((Double(s.timestamps[t]) / Double(length)).rounded(.down)) }
        return (0..<s.count).map { t in
            var start = t
            while start > 0 && session(start - 1) == session(t) { start -= 1 }
            return vwap(s, bars: Array(start...t), latest: t)
        }
    }

    static func donchian(_ s: Series, _ n: Int) -> (upper: [Double?], middle: [Double?], lower: [Double?]) {
        let upper = windowed(s.count, n) { highest(s.highs, $0) }
        let lower = windowed(s.count, n) { lowest(s.lows, $0) }
        return (upper, zip(upper, lower).map { u, l in u.map { ($0 + l!) / 2 } }, lower)
    }
}
