import PetrelCore

/// The decimal written in `text`, for constants in tests; a typo traps at once with the text.
func dec(_ text: String) -> FixedPoint {
    do {
        return try FixedPoint(parsing: text)
    } catch {
        fatalError("test constant '\(text)': \(error)")
    }
}
