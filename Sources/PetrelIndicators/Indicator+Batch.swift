import PetrelCore

extension ScalarIndicator {
    /// Runs a copy of this indicator over a whole series and returns one output per input.
    ///
    /// The copy starts from this indicator's current state (fresh for a new instance), so
    /// `RSI(period: 14).batch(closes)` gives TA-Lib's `RSI(closes, 14)` aligned to the input:
    /// `nil` for the first `warmUpPeriod - 1` positions. `self` is not changed.
    /// - Parameter values: the inputs, oldest first.
    /// - Returns: an array with exactly one element per input.
    /// - Complexity: O(n) update calls.
    public func batch(_ values: some Sequence<Double>) -> [Output?] {
        var indicator = self
        var outputs: [Output?] = []
        outputs.reserveCapacity(values.underestimatedCount)
        for value in values {
            outputs.append(indicator.update(value))
        }
        return outputs
    }
}

extension CandleIndicator {
    /// Runs a copy of this indicator over whole candles and returns one output per candle.
    ///
    /// The copy starts from this indicator's current state (fresh for a new instance), e.g.
    /// `ATR(period: 14).batch(candles)`; `self` is not changed.
    /// - Parameter candles: the bars, oldest first.
    /// - Returns: an array with exactly one element per candle.
    /// - Complexity: O(n) update calls.
    public func batch(_ candles: some Sequence<Candle>) -> [Output?] {
        var indicator = self
        var outputs: [Output?] = []
        outputs.reserveCapacity(candles.underestimatedCount)
        for candle in candles {
            outputs.append(indicator.update(candle))
        }
        return outputs
    }
}
