/// `log` and `exp` built only from IEEE-754 `+ − × ÷`, which every platform rounds identically, so
/// that the synthetic market is bit-for-bit reproducible (the C library's `log`/`exp` may differ in
/// the last bit between glibc and Darwin). Accurate to a few ulps, which is plenty for a random walk.
enum DeterministicMath {
    private static let ln2 = 0.693_147_180_559_945_3
    private static let ln2High = 0.693_147_180_369_123_8
    private static let ln2Low = 1.908_214_929_270_587_7e-10
    private static let sqrt2 = 1.414_213_562_373_095_1

    /// The natural logarithm of a positive finite `x` (`-infinity` for 0, `nan` below).
    static func log(_ x: Double) -> Double {
        guard x > 0 else { return x == 0 ? -.infinity : .nan }
        guard x.isFinite else { return x }
        var value = x
        var exponent = 0
        if value < 0x1p-1022 {  // subnormal: scale into the normal range first
            value *= 0x1p54
            exponent = -54
        }
        let bits = value.bitPattern
        exponent += Int((bits >> 52) & 0x7FF) - 1023
        var mantissa = Double(bitPattern: (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000)
        if mantissa > sqrt2 {
            mantissa *= 0.5
            exponent += 1
        }
        // log(m) = 2·atanh(s) = 2(s + s³/3 + s⁵/5 + …), s = (m − 1)/(m + 1), |s| ≤ 0.172.
        let s = (mantissa - 1) / (mantissa + 1)
        let s2 = s * s
        var series = 1.0 / 23.0
        var k = 21.0
        while k >= 1 {
            series = series * s2 + 1.0 / k
            k -= 2
        }
        return Double(exponent) * ln2 + 2 * s * series
    }

    /// `e^x` (0 below −745, infinity above 709.78).
    static func exp(_ x: Double) -> Double {
        guard !x.isNaN else { return x }
        if x > 709.78 { return .infinity }
        if x < -745.1 { return 0 }
        let k = (x / ln2).rounded(.toNearestOrEven)
        let r = (x - k * ln2High) - k * ln2Low  // |r| ≤ 0.347
        var series = 1.0
        var n = 15.0
        while n >= 1 {
            series = 1 + series * r / n
            n -= 1
        }
        let power = Int(k)
        if power < -1000 {  // avoid building a subnormal power of two
            return series * Double(sign: .plus, exponent: power + 100, significand: 1) * 0x1p-100
        }
        return series * Double(sign: .plus, exponent: power, significand: 1)
    }
}

extension Xoshiro256StarStar {
    /// A standard normal pair by the polar form of the Box–Muller transform (no `sin`/`cos`, and
    /// `log` from ``DeterministicMath``).
    mutating func normalPair() -> (Double, Double) {
        while true {
            let u = 2 * nextUnit() - 1
            let v = 2 * nextUnit() - 1
            let s = u * u + v * v
            if s >= 1 || s == 0 { continue }
            let factor = (-2 * DeterministicMath.log(s) / s).squareRoot()
            return (u * factor, v * factor)
        }
    }
}
