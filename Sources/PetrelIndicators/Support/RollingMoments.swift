/// Mean and sum of squared deviations of the last `size` inputs, kept accurate to about 1e-12
/// relative at O(1) amortised cost.
///
/// TA-Lib keeps Σx and Σx² and takes `Σx²/n − mean²`, which loses about eight significant
/// digits on BTC prices. A plain windowed Welford update is better but still subtractive: when
/// a volatile window turns flat (σ = 0.005 on a 42,000 price), the rounding left over from the
/// earlier, larger sums dominates the small new one. So this:
/// - works on inputs shifted by `shift` (the window mean at the last recompute), which keeps
///   the running offset of the mean small and its rounding error tiny;
/// - updates with Welford's windowed step (replace `y` by `x`: `offset' = offset + (x − y)/n`,
///   `M2' = M2 + (x − y)(x − offset' + y − offset)` on shifted values);
/// - tracks a bound on the rounding error accumulated in `M2` and recomputes mean and `M2`
///   with a corrected two-pass sum over the window when that bound exceeds 1e-12 · M2, when a
///   non-finite value has entered, or every `max(size, 256)` replacements.
///
/// On market data the recompute runs about once per `max(size, 256)` updates and a few times
/// when volatility collapses, so the cost is O(1) amortised. Adversarial inputs (for example
/// alternating huge spikes and flat stretches) can make it O(size) per update.
@usableFromInline
struct RollingMoments: Sendable {
    @usableFromInline var window: RingBuffer
    /// Reference subtracted from every input; the window mean at the last recompute.
    @usableFromInline var shift: Double = 0
    /// Window mean minus `shift`.
    @usableFromInline var offset: Double = 0
    /// Sum of squared deviations from the mean over the window.
    @usableFromInline var m2: Double = 0
    /// Bound on the rounding error in `m2` since the last recompute, in units of `ε / 2`.
    @usableFromInline var errorBound: Double = 0
    /// Bound on the rounding error in `offset`, in units of `ε / 2`.
    @usableFromInline var offsetError: Double = 0
    @usableFromInline var replacementsSinceRecompute: Int = 0
    @usableFromInline let recomputeInterval: Int
    @usableFromInline let reciprocalSize: Double

    /// `ε / 2` times a safety factor of 4, divided by the target relative accuracy 1e-12.
    @usableFromInline static let errorScale: Double = 4 * (Double.ulpOfOne / 2) / 1e-12

    /// Creates empty moments over the last `size` inputs.
    @inlinable
    init(size: Int) {
        window = RingBuffer(capacity: size)
        recomputeInterval = Swift.max(size, 256)
        reciprocalSize = 1 / Double(size)
    }

    @inlinable var isFull: Bool { window.isFull }

    /// The mean of a full window.
    @inlinable var mean: Double { shift + offset }

    /// Adds the next input, dropping the oldest once the window is full.
    @inlinable
    mutating func push(_ value: Double) {
        guard window.isFull else {
            window.append(value)
            if window.isFull { recompute() }
            return
        }
        let evicted = window.replaceOldest(with: value)
        let newDeviation = value - shift
        let oldDeviation = evicted - shift
        let change = newDeviation - oldDeviation
        let oldOffset = offset
        offset += change * reciprocalSize
        let towardNew = newDeviation - offset
        let towardOld = oldDeviation - oldOffset
        let increment = change * (towardNew + towardOld)
        m2 += increment
        // Rounding in this step: the products and sums above, plus the drift of `offset`
        // multiplied through `change`.
        let magnitudeOfChange = abs(change)
        offsetError += abs(offset) + magnitudeOfChange * reciprocalSize
        errorBound +=
            magnitudeOfChange * (abs(towardNew) + abs(towardOld) + 2 * offsetError) + abs(increment) + abs(m2)
        replacementsSinceRecompute += 1
        if replacementsSinceRecompute >= recomputeInterval || errorBound * Self.errorScale > m2
            || !(offset + m2).isFinite
        {
            recompute()
        }
    }

    /// Population variance `M2 / n` of a full window (0 for tiny negative rounding, NaN kept).
    @inlinable var populationVariance: Double { m2 < 0 ? 0 : m2 * reciprocalSize }

    /// Sample variance `M2 / (n − 1)` of a full window (`n` must be ≥ 2).
    @inlinable var sampleVariance: Double { m2 < 0 ? 0 : m2 / Double(window.capacity - 1) }

    /// Corrected two-pass recompute of the mean and `M2` from the window; re-centres `shift`.
    ///
    /// The rounded mean `m` is off by up to ε·|m|; later Welford steps would turn that error
    /// into `2·n·error·Δmean` of `M2`. So the residual `r = Σ(x − m)` goes into `offset`
    /// (`mean = m + r/n`) and `M2 = Σ(x − m)² − r²/n`, which leaves an error of the order of
    /// ε·|x − m| instead.
    @usableFromInline
    mutating func recompute() {
        let values = window.unorderedValues
        var sum = 0.0
        for value in values { sum += value }
        let count = Double(values.count)
        let roughMean = sum / count
        var residual = 0.0
        var squares = 0.0
        var spread = 0.0
        for value in values {
            let deviation = value - roughMean
            residual += deviation
            squares += deviation * deviation
            spread += abs(deviation)
        }
        shift = roughMean
        offset = residual / count
        m2 = squares - residual * residual / count
        errorBound = 0
        offsetError = spread
        replacementsSinceRecompute = 0
    }

    /// Forgets every input without releasing storage.
    @inlinable
    mutating func removeAll() {
        window.removeAll()
        shift = 0
        offset = 0
        m2 = 0
        errorBound = 0
        offsetError = 0
        replacementsSinceRecompute = 0
    }
}
