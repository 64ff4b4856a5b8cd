import Foundation

extension FixedPoint: Codable {
    /// Decodes from a JSON string (`"23141.57"`, the exact form) or a JSON number.
    ///
    /// Numbers are read through `Foundation.Decimal`, which keeps the written digits, and then
    /// through their decimal text, so `1000.1` never becomes `1000.0999999`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            do {
                self = try FixedPoint(parsing: text)
            } catch {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
            }
            return
        }
        let number = try container.decode(Decimal.self)
        let text = NSDecimalNumber(decimal: number).description(withLocale: Locale(identifier: "en_US_POSIX"))
        do {
            self = try FixedPoint(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes as a JSON string holding the exact decimal.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
