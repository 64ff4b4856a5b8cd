extension Double {
    /// The value with exactly `decimals` fractional digits, rounded half away from zero, without
    /// locale or Foundation formatting (`12.3456.decimalText(2)` is `12.35`). Non-finite or huge
    /// values use Swift's own description.
    public func decimalText(_ decimals: Int) -> String {
        guard isFinite, Swift.abs(self) < 1e15, (0...8).contains(decimals) else { return String(self) }
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let rounded = Int64((Swift.abs(self) * Double(scale)).rounded())
        var text = (self < 0 && rounded != 0 ? "-" : "") + String(rounded / scale)
        if decimals > 0 {
            let digits = String(rounded % scale)
            text += "." + String(repeating: "0", count: decimals - digits.count) + digits
        }
        return text
    }
}
