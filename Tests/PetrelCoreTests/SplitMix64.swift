import PetrelCore

/// Test-only draws on top of the shared SplitMix64 (PetrelCore), so every property test replays
/// the same cases on every machine (never system randomness).
extension SplitMix64 {
    /// A raw `FixedPoint` value biased toward the cases that break decimal code: zero, ±1 ulp,
    /// the extremes and their neighbours, whole units, small prices and any 64-bit pattern.
    mutating func interestingRaw() -> Int64 {
        switch next() % 6 {
        case 0:
            let specials: [Int64] = [
                0, 1, -1, .max, .min, .max - 1, .min + 1, 100_000_000, -100_000_000, 50_000_000, -50_000_000,
            ]
            return specials[Int(next() % UInt64(specials.count))]
        case 1:
            return .max - Int64(next() % 1_000_000_000)
        case 2:
            return .min + Int64(next() % 1_000_000_000)
        case 3:
            return Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &self)
        case 4:
            return Int64(bitPattern: next())
        default:
            return rawOfRandomMagnitude()
        }
    }

    /// A raw value with a random bit length (0 to 63) and sign, so that products and quotients
    /// of two of them land evenly below, near and beyond the representable range.
    mutating func rawOfRandomMagnitude() -> Int64 {
        let bits = Int(next() % 64)
        let magnitude = bits == 0 ? 0 : Int64(next() >> UInt64(64 - bits)) & Int64.max
        return next() & 1 == 0 ? magnitude : -magnitude
    }
}
