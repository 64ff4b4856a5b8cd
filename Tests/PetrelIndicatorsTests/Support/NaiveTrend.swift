/// Reference formulas for ADX, Keltner, Ichimoku and SuperTrend.
extension Naive {
    /// TA-Lib ADX: DM/TR summed over bars 1…n−1, then S ← S − S/n + v from bar n; ADX the mean
    /// of DX over bars n…2n−1, then Wilder.
    static func adx(_ s: Series, _ n: Int) -> (adx: [Double?], plusDI: [Double?], minusDI: [Double?]) {
        let count = s.count
        var plusDM = [Double](repeating: 0, count: count)
        var minusDM = [Double](repeating: 0, count: count)
        for t in 1..<count {
            let up = s.highs[t] - s.highs[t - 1]
            let down = s.lows[t - 1] - s.lows[t]
            if down > 0 && down > up { minusDM[t] = down }
            if up > 0 && up > down { plusDM[t] = up }
        }
        let ranges = trueRanges(s)
        func smoothed(_ v: [Double?]) -> [Double?] {
            var out = [Double?](repeating: nil, count: count)
            var total = (1..<n).map { v[$0]! }.reduce(0, +)
            for t in n..<count {
                total = total - total / Double(n) + v[t]!
                out[t] = total
            }
            return out
        }
        let sPlus = smoothed(plusDM.map { $0 })
        let sMinus = smoothed(minusDM.map { $0 })
        let sRange = smoothed(ranges.enumerated().map { $0.offset == 0 ? 0 : $0.element })
        var plusDI = [Double?](repeating: nil, count: count)
        var minusDI = plusDI
        var dx = [Double?](repeating: nil, count: count)
        for t in n..<count {
            let tr = sRange[t]!
            plusDI[t] = tr == 0 ? 0 : 100 * sPlus[t]! / tr
            minusDI[t] = tr == 0 ? 0 : 100 * sMinus[t]! / tr
            let sum = plusDI[t]! + minusDI[t]!
            if tr != 0 && sum != 0 { dx[t] = 100 * abs(plusDI[t]! - minusDI[t]!) / sum }
        }
        var adx = [Double?](repeating: nil, count: count)
        let first = 2 * n - 1
        if first < count {
            var previous = (n...first).map { dx[$0] ?? 0 }.reduce(0, +) / Double(n)
            adx[first] = previous
            for t in (first + 1)..<count {
                if let value = dx[t] { previous = (previous * Double(n - 1) + value) / Double(n) }
                adx[t] = previous
            }
        }
        let plus = plusDI.indices.map { adx[$0] == nil ? nil : plusDI[$0] }
        let minus = minusDI.indices.map { adx[$0] == nil ? nil : minusDI[$0] }
        return (adx, plus, minus)
    }

    static func keltner(_ s: Series, _ n: Int, _ multiplier: Double, _ atrPeriod: Int) -> (
        upper: [Double?], middle: [Double?], lower: [Double?]
    ) {
        let middle = ema(s.closes, n)
        let range = atr(s, atrPeriod)
        let both = middle.indices.map { middle[$0] != nil && range[$0] != nil }
        return (
            middle.indices.map { both[$0] ? middle[$0]! + multiplier * range[$0]! : nil },
            middle.indices.map { both[$0] ? middle[$0] : nil },
            middle.indices.map { both[$0] ? middle[$0]! - multiplier * range[$0]! : nil }
        )
    }

    /// Ichimoku lines per bar t, with the spans taken from bar t − d and chikou = close_t.
    static func ichimoku(_ s: Series, _ tenkan: Int, _ kijun: Int, _ senkouB: Int, _ d: Int) -> [[Double?]] {
        func midpoint(_ t: Int, _ n: Int) -> Double? {
            t >= n - 1 ? (highest(s.highs, (t - n + 1)...t) + lowest(s.lows, (t - n + 1)...t)) / 2 : nil
        }
        let first = max(tenkan, kijun, senkouB) - 1 + d
        var columns = [[Double?]](repeating: [Double?](repeating: nil, count: s.count), count: 5)
        for t in first..<s.count {
            columns[0][t] = midpoint(t, tenkan)
            columns[1][t] = midpoint(t, kijun)
            columns[2][t] = (midpoint(t - d, tenkan)! + midpoint(t - d, kijun)!) / 2
            columns[3][t] = midpoint(t - d, senkouB)
            columns[4][t] = s.closes[t]
        }
        return columns
    }

    /// SuperTrend as TradingView's `ta.supertrend`, on TA-Lib's ATR; direction +1 up, −1 down.
    static func superTrend(_ s: Series, _ n: Int, _ multiplier: Double) -> (value: [Double?], direction: [Double?]) {
        let range = atr(s, n)
        var value = [Double?](repeating: nil, count: s.count)
        var direction = value
        var upper = [Double](repeating: 0, count: s.count)
        var lower = upper
        for t in n..<s.count {
            let middle = (s.highs[t] + s.lows[t]) / 2
            let basicUpper = middle + multiplier * range[t]!
            let basicLower = middle - multiplier * range[t]!
            if t == n {
                upper[t] = basicUpper
                lower[t] = basicLower
                direction[t] = -1
            } else {
                upper[t] = basicUpper < upper[t - 1] || s.closes[t - 1] > upper[t - 1] ? basicUpper : upper[t - 1]
                lower[t] = basicLower > lower[t - 1] || s.closes[t - 1] < lower[t - 1] ? basicLower : lower[t - 1]
                if direction[t - 1] == -1 {
                    direction[t] = s.closes[t] > upper[t] ? 1 : -1
                } else {
                    direction[t] = s.closes[t] < lower[t] ? -1 : 1
                }
            }
            value[t] = direction[t] == 1 ? lower[t] : upper[t]
        }
        return (value, direction)
    }
}
