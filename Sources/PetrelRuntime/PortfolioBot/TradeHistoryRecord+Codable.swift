import PetrelCore

extension TradeHistoryRecord: Codable {
    enum CodingKeys: String, CodingKey {
        case id
        case fromPair = "from_pair"
        case toPair = "to_pair"
        case decision, status, confidence, risk, volatility, amount
        case expectedReturn = "expected_return"
        case reasoning
        case createdAt = "created_at"
    }

    /// Decodes the seed's JSON; `expected_return` may be a number or a decimal string (the seed's
    /// `trade_executed` sends `"0.025"`), `created_at` ISO-8601 UTC (fractional seconds allowed) or
    /// Unix ms, `amount` a decimal string or number.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(Int64.self, forKey: .id)
        fromPair = try c.decode(String.self, forKey: .fromPair)
        toPair = try c.decode(String.self, forKey: .toPair)
        decision = try c.decode(TradeDecision.self, forKey: .decision)
        status = try c.decode(TradeStatus.self, forKey: .status)
        confidence = try c.decode(Double.self, forKey: .confidence)
        risk = try c.decode(Double.self, forKey: .risk)
        volatility = try c.decode(Double.self, forKey: .volatility)
        amount = try c.decode(Money.self, forKey: .amount)
        if let number = try? c.decode(Double.self, forKey: .expectedReturn) {
            expectedReturn = number
        } else {
            let text = try c.decode(String.self, forKey: .expectedReturn)
            guard let number = Double(text), number.isFinite else {
                throw DecodingError.dataCorruptedError(
                    forKey: .expectedReturn, in: c, debugDescription: "'\(text)' is not a decimal number")
            }
            expectedReturn = number
        }
        reasoning = try c.decodeIfPresent(String.self, forKey: .reasoning) ?? ""
        if let milliseconds = try? c.decode(Int64.self, forKey: .createdAt) {
            createdAt = milliseconds
        } else {
            let text = try c.decode(String.self, forKey: .createdAt)
            guard let milliseconds = Self.parseISO8601(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .createdAt, in: c,
                    debugDescription: "'\(text)' is not an ISO-8601 UTC time such as 2026-02-14T02:30:00Z")
            }
            createdAt = milliseconds
        }
    }

    /// Encodes with the seed's keys; `id` only once stored.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(id, forKey: .id)
        try c.encode(fromPair, forKey: .fromPair)
        try c.encode(toPair, forKey: .toPair)
        try c.encode(decision, forKey: .decision)
        try c.encode(status, forKey: .status)
        try c.encode(confidence, forKey: .confidence)
        try c.encode(risk, forKey: .risk)
        try c.encode(volatility, forKey: .volatility)
        try c.encode(amount, forKey: .amount)
        try c.encode(expectedReturn, forKey: .expectedReturn)
        try c.encode(reasoning, forKey: .reasoning)
        try c.encode(CivilDate.iso8601(milliseconds: createdAt), forKey: .createdAt)
    }

    /// `2026-02-14T02:30:00Z` or `2026-02-14T02:30:00.250Z` (1–3 fractional digits) as Unix ms.
    static func parseISO8601(_ text: String) -> Int64? {
        guard text.hasSuffix("Z") else { return nil }
        let body = text.dropLast()
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let seconds = CivilDate.parseTimestamp(String(parts[0]) + "Z"),
            parts[0].contains("T")
        else { return nil }
        guard parts.count == 2 else { return seconds }
        let fraction = parts[1]
        guard (1...3).contains(fraction.utf8.count), fraction.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let digits = Int64(fraction)
        else { return nil }
        var milliseconds = digits
        for _ in fraction.utf8.count..<3 { milliseconds *= 10 }
        return seconds + milliseconds
    }
}
