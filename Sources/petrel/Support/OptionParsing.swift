import PetrelCore

/// Parsing of option values every command shares, with one message per mistake.
enum OptionParsing {
    /// A `--symbol` value (`BTC/USDT`, `BTCUSDT`, `BTC-USDT-SWAP`, …).
    static func symbol(_ text: String, option: String = "--symbol") throws -> Symbol {
        do { return try Symbol(parsing: text) } catch { throw CLIError("\(option): \(error)") }
    }

    /// A `--timeframe` value, optionally refusing calendar months (which have no fixed length).
    static func timeframe(_ text: String, option: String = "--timeframe", allowMonths: Bool = true) throws -> Timeframe
    {
        let allowed = Timeframe.allCases.filter { allowMonths || $0 != .month1 }
        guard let value = Timeframe(rawValue: text), allowed.contains(value) else {
            throw CLIError(
                "\(option) '\(text)' is not allowed; expected one of \(allowed.map(\.rawValue).joined(separator: ", "))"
            )
        }
        return value
    }
}
