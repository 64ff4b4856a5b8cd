/// The id Petrel gives an order before sending it; venues echo it (`newClientOrderId`, `clOrdId`).
///
/// Deterministic: bot id + per-bot sequence number, so a restarted bot re-derives the same id
/// for the same intent and never sends a duplicate. At most 32 characters of `[A-Za-z0-9_-]`,
/// which every supported venue accepts (OKX allows no `-`; adapters map as needed).
public struct ClientOrderID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// Maximum length accepted by every supported venue.
    public static let maxLength = 32

    /// Wraps an existing id.
    /// - Throws: ``OrderError/invalidClientOrderID(_:)`` when it is empty, too long or has other characters.
    public init(_ rawValue: String) throws(OrderError) {
        guard !rawValue.isEmpty, rawValue.utf8.count <= Self.maxLength,
            rawValue.utf8.allSatisfy({ Self.isAllowed($0) })
        else { throw .invalidClientOrderID(rawValue) }
        self.rawValue = rawValue
    }

    /// The id of a bot's `sequence`-th order: `<bot>x<sequence in base 36>`.
    ///
    /// The bot part is cut to the same 18 characters whatever the sequence, so one bot never
    /// derives the same id for two sequences (cutting it to fit each suffix made `…box` + `x1`
    /// and `…bo` + `xx1` the same id).
    /// - Parameters:
    ///   - botID: the bot's id; characters outside `[A-Za-z0-9_]` are dropped.
    ///   - sequence: the bot's order counter.
    public init(botID: String, sequence: UInt64) {
        let suffix = "x" + String(sequence, radix: 36)
        let cleaned = botID.utf8.filter { Self.isAllowed($0) && $0 != UInt8(ascii: "-") }
        let botPart = String(decoding: cleaned.prefix(Self.maxLength - Self.maxSuffixLength), as: UTF8.self)
        self.rawValue = (botPart.isEmpty ? "p" : botPart) + suffix
    }

    /// The sequence this id was made from by ``init(botID:sequence:)`` for `botID`, or `nil` when it
    /// is not one of that bot's ids.
    public func sequence(ofBot botID: String) -> UInt64? {
        let prefix = ClientOrderID(botID: botID, sequence: 0).rawValue.dropLast()
        guard rawValue.hasPrefix(prefix) else { return nil }
        return UInt64(rawValue.dropFirst(prefix.count), radix: 36)
    }

    /// `x` and `UInt64.max` in base 36 (13 digits).
    private static let maxSuffixLength = 14

    private static func isAllowed(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95
            || byte == 45
    }

    public var description: String { rawValue }

    public static func < (lhs: ClientOrderID, rhs: ClientOrderID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
