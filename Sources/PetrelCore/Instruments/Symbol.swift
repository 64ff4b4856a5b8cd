/// A tradable pair: base and quote asset (`BTC/USDT`) and whether it is spot or a perpetual swap.
///
/// The canonical text is `BASE/QUOTE` (`BTC/USDT`; swaps `BTC/USDT:SWAP`). Venues spell it
/// differently; ``venueSpelling(_:)`` and ``init(venueSymbol:)`` convert.
public struct Symbol: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Spot or perpetual swap.
    public enum Kind: String, Sendable, Hashable, Codable {
        case spot
        case perpetual
    }

    /// How a venue writes a symbol.
    public enum Spelling: Sendable, Hashable {
        /// `BTCUSDT` (Binance).
        case concatenated
        /// `BTC-USDT` (OKX spot, Uphold's `BTC-USD`).
        case dashed
        /// `BTC-USDT-SWAP` (OKX perpetual swaps).
        case okxSwap
    }

    public let base: String
    public let quote: String
    public let kind: Kind

    /// Quote assets recognised when splitting a concatenated symbol such as `ETHBTC`, longest first.
    public static let knownQuoteAssets: [String] = [
        "FDUSD", "USDT", "USDC", "BUSD", "TUSD", "USDP", "DAI", "EUR", "GBP", "TRY", "BRL", "AUD", "JPY",
        "USD", "BTC", "ETH", "BNB", "XRP", "TRX", "DOGE",
    ]

    /// Creates a symbol from its assets.
    /// - Throws: ``SymbolError`` when an asset is empty or not alphanumeric.
    public init(base: String, quote: String, kind: Kind = .spot) throws(SymbolError) {
        let b = base.uppercased()
        let q = quote.uppercased()
        for asset in [b, q] where asset.isEmpty || !asset.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            throw .invalidAsset(asset)
        }
        guard b != q else { throw .sameAssets(b) }
        self.base = b
        self.quote = q
        self.kind = kind
    }

    /// Parses any accepted spelling: `BTC/USDT`, `BTC/USDT:SWAP`, `BTC-USDT`, `BTC-USDT-SWAP`,
    /// `BTC_USDT` or the concatenated `BTCUSDT` (split at a known quote asset).
    /// - Throws: ``SymbolError/unrecognised(_:)`` with the text.
    public init(parsing text: String) throws(SymbolError) {
        let upper = text.trimmingWhitespace().uppercased()
        var kind = Kind.spot
        var body = Substring(upper)
        if body.hasSuffix(":SWAP") {
            kind = .perpetual
            body = body.dropLast(5)
        } else if body.hasSuffix("-SWAP") {
            kind = .perpetual
            body = body.dropLast(5)
        }
        for separator in ["/", "-", "_"] where body.contains(separator) {
            let parts = body.split(separator: Character(separator), omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw .unrecognised(text) }
            do {
                try self.init(base: String(parts[0]), quote: String(parts[1]), kind: kind)
            } catch {
                throw .unrecognised(text)
            }
            return
        }
        for quote in Self.knownQuoteAssets where body.hasSuffix(quote) && body.count > quote.count {
            do {
                try self.init(base: String(body.dropLast(quote.count)), quote: quote, kind: kind)
            } catch {
                throw .unrecognised(text)
            }
            return
        }
        throw .unrecognised(text)
    }

    /// Parses a venue-native symbol (alias of ``init(parsing:)`` that names the intent).
    public init(venueSymbol: String) throws(SymbolError) {
        try self.init(parsing: venueSymbol)
    }

    /// The venue's spelling of this symbol.
    public func venueSpelling(_ spelling: Spelling) -> String {
        switch spelling {
        case .concatenated: return base + quote
        case .dashed: return base + "-" + quote
        case .okxSwap: return base + "-" + quote + "-SWAP"
        }
    }

    /// `BTC/USDT`, or `BTC/USDT:SWAP` for a perpetual.
    public var description: String {
        kind == .spot ? "\(base)/\(quote)" : "\(base)/\(quote):SWAP"
    }

    public static func < (lhs: Symbol, rhs: Symbol) -> Bool { lhs.description < rhs.description }
}

extension Symbol: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Symbol(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Why text is not a symbol.
public enum SymbolError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidAsset(String)
    case sameAssets(String)
    case unrecognised(String)

    public var description: String {
        switch self {
        case .invalidAsset(let asset):
            return "asset '\(asset)' must be non-empty letters and digits"
        case .sameAssets(let asset):
            return "base and quote are both '\(asset)'"
        case .unrecognised(let text):
            return
                "'\(text)' is not a symbol (expected BASE/QUOTE such as BTC/USDT, BTC-USDT, BTC-USDT-SWAP or BTCUSDT)"
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
