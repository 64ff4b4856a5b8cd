/// Standalone performance and risk statistics over `Double` series.
///
/// The functions live in extensions by theme (`Returns/`, `Drawdown/`, `Risk/`) and are the
/// building blocks of ``PerformanceStatistics`` and ``RiskStatistics``. They are meant to be
/// called directly by the optimiser's objective functions: each is one or two O(n) passes over
/// an array, allocates nothing unless documented (quantiles sort a copy), and never returns
/// NaN or an infinity — an undefined value is `nil`.
///
/// Definitions follow empyrical (Quantopian) and are cross-checked against a NumPy
/// re-implementation in `Tests/PetrelAnalyticsTests/.reference/make_reference.py`;
/// `docs/analytics.md` lists every formula and convention.
public enum Analytics {
    /// Standard deviations at or below this are treated as zero (a constant series), so that
    /// floating-point noise in a constant series does not produce an astronomically large ratio.
    public static let zeroDeviationThreshold: Double = 1e-12

    /// `value` if finite, else `nil`: the single gate that keeps NaN and infinities out of results.
    static func finite(_ value: Double) -> Double? {
        value.isFinite ? value : nil
    }
}
