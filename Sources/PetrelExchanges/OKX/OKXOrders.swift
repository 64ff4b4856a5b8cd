import Foundation
import PetrelCore
import PetrelRuntime

/// Petrel's client order ids as OKX `clOrdId`s, which allow only letters and digits (at most 32).
///
/// Ids made of letters and digits are sent as they are. `_` and `-` (which Petrel ids may hold) and the
/// escape letter `Z` itself are escaped: `_` → `Zu`, `-` → `Zd`, `Z` → `ZZ`. The mapping is reversible, so
/// an order or fill read back from OKX names the same Petrel id after a restart.
public enum OKXOrderID {
    /// The `clOrdId` of `id`.
    /// - Throws: ``ExecutionError/rejected(_:)`` when escaping makes it longer than OKX's 32 characters.
    public static func encode(_ id: ClientOrderID) throws(ExecutionError) -> String {
        var text = ""
        for character in id.rawValue {
            switch character {
            case "_": text += "Zu"
            case "-": text += "Zd"
            case "Z": text += "ZZ"
            default: text.append(character)
            }
        }
        guard text.count <= 32 else {
            throw .rejected(
                "okx: client order id '\(id)' becomes '\(text)' (\(text.count) characters) as a clOrdId; OKX allows 32 letters and digits"
            )
        }
        return text
    }

    /// The Petrel id of a `clOrdId`, or `nil` when it is empty or not one ``encode(_:)`` makes.
    public static func decode(_ text: String) -> ClientOrderID? {
        var raw = ""
        var escaped = false
        for character in text {
            if escaped {
                switch character {
                case "u": raw += "_"
                case "d": raw += "-"
                case "Z": raw += "Z"
                default: return nil
                }
                escaped = false
            } else if character == "Z" {
                escaped = true
            } else {
                raw.append(character)
            }
        }
        guard !escaped else { return nil }
        return try? ClientOrderID(raw)
    }
}

/// Reading OKX's order and fill objects (`/api/v5/trade/order`, `orders-pending`, `fills`) into Petrel's
/// types; swap quantities come in contracts and become base quantities through `ctVal`.
enum OKXOrderDecoding {
    static func text(_ entry: [String: Any], _ key: String) -> String {
        entry[key] as? String ?? (entry[key] as? NSNumber).map { "\($0)" } ?? ""
    }

    static func decimal(_ entry: [String: Any], _ key: String, _ what: String) throws(ExecutionError) -> FixedPoint {
        let raw = text(entry, key)
        guard let value = FixedPoint(raw) else {
            throw .retryable("okx \(what): \(key) '\(raw)' is not a decimal")
        }
        return value
    }

    /// An optional decimal: `nil` for `""` (OKX's way of saying none) and for zero.
    static func optionalDecimal(_ entry: [String: Any], _ key: String) -> FixedPoint? {
        FixedPoint(text(entry, key)).flatMap { $0.isZero ? nil : $0 }
    }

    /// The Petrel id of an order object: its decoded `clOrdId`, or for an order placed elsewhere (no
    /// `clOrdId`, or one Petrel did not make) `okx` + OKX's order id, so it still shows as unmanaged.
    static func clientOrderID(_ entry: [String: Any]) -> ClientOrderID? {
        OKXOrderID.decode(text(entry, "clOrdId")) ?? (try? ClientOrderID("okx" + text(entry, "ordId")))
    }

    static func order(_ entry: [String: Any], instrument: OKXInstrument, _ what: String) throws(ExecutionError)
        -> VenueOrder
    {
        guard let clientID = clientOrderID(entry) else {
            throw .retryable("okx \(what): an order without clOrdId or ordId")
        }
        let states: [String: OrderStatus] = [
            "live": .accepted, "partially_filled": .partiallyFilled, "filled": .filled, "canceled": .cancelled,
            "mmp_canceled": .cancelled,
        ]
        let state = text(entry, "state")
        guard let status = states[state] else {
            throw .retryable("okx \(what): order state '\(state)' is not one of \(states.keys.sorted())")
        }
        let side = text(entry, "side")
        guard side == "buy" || side == "sell" else { throw .retryable("okx \(what): side '\(side)'") }
        let size = try decimal(entry, "sz", what)
        let filled = try decimal(entry, "accFillSz", what)
        let isSwap = instrument.isSwap
        // A spot market order sized in the quote currency (placed elsewhere) reports its size in USDT.
        let quoteSized = !isSwap && text(entry, "tgtCcy") == "quote_ccy"
        let quantity = isSwap ? instrument.base(forContracts: size) : (quoteSized ? filled : size)
        return VenueOrder(
            clientOrderID: clientID, venueOrderID: text(entry, "ordId"), symbol: instrument.symbol,
            side: side == "buy" ? .buy : .sell, type: text(entry, "ordType") == "market" ? .market : .limit,
            quantity: quantity, price: optionalDecimal(entry, "px"), stopPrice: nil, status: status,
            filledQuantity: isSwap ? instrument.base(forContracts: filled) : filled,
            averageFillPrice: optionalDecimal(entry, "avgPx"),
            updatedAt: Int64(text(entry, "uTime")) ?? Int64(text(entry, "cTime")) ?? 0,
            reason: status == .cancelled ? cancelReason(entry) : nil)
    }

    static func cancelReason(_ entry: [String: Any]) -> String {
        let reason = text(entry, "cancelSourceReason")
        return reason.isEmpty ? "cancelled at okx" : reason
    }

    /// A fill (`/api/v5/trade/fills`); OKX's fee is negative when charged, Petrel's positive.
    static func fill(_ entry: [String: Any], instrument: OKXInstrument, clientOrderID: ClientOrderID)
        throws(ExecutionError) -> Fill
    {
        let tradeID = text(entry, "tradeId")
        guard !tradeID.isEmpty else { throw .retryable("okx fills: a fill without tradeId") }
        let size = try decimal(entry, "fillSz", "fills")
        let fee = FixedPoint(text(entry, "fee")) ?? .zero
        let time = Int64(text(entry, "fillTime")) ?? Int64(text(entry, "ts")) ?? 0
        return Fill(
            tradeID: tradeID, clientOrderID: clientOrderID, symbol: instrument.symbol,
            side: text(entry, "side") == "buy" ? .buy : .sell, price: try decimal(entry, "fillPx", "fills"),
            quantity: instrument.isSwap ? instrument.base(forContracts: size) : size, fee: -fee,
            feeAsset: text(entry, "feeCcy"), liquidity: text(entry, "execType") == "M" ? .maker : .taker,
            timestamp: time)
    }

    /// A JSON object of string fields (and `reduceOnly` as a boolean) in the given order: OKX signs the
    /// exact body, so it is written once and sent as written.
    static func body(_ fields: [(String, String)], flags: [(String, Bool)] = []) -> String {
        func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        let parts = fields.map { "\(quoted($0.0)):\(quoted($0.1))" } + flags.map { "\(quoted($0.0)):\($0.1)" }
        return "{" + parts.joined(separator: ",") + "}"
    }
}
