/// Wilder's true range: the bar's range extended to the previous close.
///
/// `max(high − low, |high − previousClose|, |low − previousClose|)` (TA-Lib `TRANGE`).
@inlinable
func trueRange(high: Double, low: Double, previousClose: Double) -> Double {
    var range = high - low
    let up = abs(high - previousClose)
    if up > range { range = up }
    let down = abs(low - previousClose)
    if down > range { range = down }
    return range
}
