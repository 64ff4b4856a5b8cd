import Foundation
import PetrelCore
import Testing

@Suite("Symbols and their venue spellings")
struct SymbolTests {
    @Test(
        "parses every accepted spelling into base, quote and kind",
        arguments: [
            ("BTC/USDT", "BTC", "USDT", Symbol.Kind.spot),
            ("BTCUSDT", "BTC", "USDT", .spot),
            ("BTC-USDT", "BTC", "USDT", .spot),
            ("BTC-USDT-SWAP", "BTC", "USDT", .perpetual),
            ("BTC/USDT:SWAP", "BTC", "USDT", .perpetual),
            ("BTCUSDT:SWAP", "BTC", "USDT", .perpetual),
            ("ETHBTC", "ETH", "BTC", .spot),
            ("btc_usdt", "BTC", "USDT", .spot),
            ("XRPETH", "XRP", "ETH", .spot),
            ("SUIUSDT", "SUI", "USDT", .spot),
            ("BTC-USD", "BTC", "USD", .spot),
            ("BTCFDUSD", "BTC", "FDUSD", .spot),
            ("BTCTUSD", "BTC", "TUSD", .spot),
            ("ETHBUSD", "ETH", "BUSD", .spot),
            ("1INCHUSDT", "1INCH", "USDT", .spot),
            ("SHIBDOGE", "SHIB", "DOGE", .spot),
            ("EUR/USD", "EUR", "USD", .spot),
            ("  eth/usdc\n", "ETH", "USDC", .spot),
            ("eth-usdt-swap", "ETH", "USDT", .perpetual),
        ] as [(String, String, String, Symbol.Kind)]
    )
    func parsesSpellings(text: String, base: String, quote: String, kind: Symbol.Kind) throws {
        let symbol = try Symbol(parsing: text)
        #expect(symbol.base == base)
        #expect(symbol.quote == quote)
        #expect(symbol.kind == kind)
        #expect(try Symbol(venueSymbol: text) == symbol)
    }

    @Test(
        "rejects text that is not a symbol with a message quoting it and showing what is allowed",
        arguments: [
            "", "   ", "BTC", "USDT", "BTCXYZ", "BTC/", "/USDT", "BTC/USDT/ETH", "BTC//USDT", "BTC/BTC", "BTC USDT",
            "BTC$/USDT", "BTC-USDT-SWAP-SWAP", "BTC:SWAP", "-SWAP", "ÄTH/USDT", "BTC/USDT:FUTURES",
        ]
    )
    func rejectsBadText(text: String) {
        #expect(throws: SymbolError.unrecognised(text)) { try Symbol(parsing: text) }
        #expect(
            SymbolError.unrecognised(text).description
                == "'\(text)' is not a symbol "
                + "(expected BASE/QUOTE such as BTC/USDT, BTC-USDT, BTC-USDT-SWAP or BTCUSDT)"
        )
    }

    @Test("creates symbols from assets, upper-casing them, and refuses bad assets")
    func createsFromAssets() throws {
        let symbol = try Symbol(base: "eth", quote: "Usdt", kind: .perpetual)
        #expect(symbol.base == "ETH" && symbol.quote == "USDT" && symbol.kind == .perpetual)
        #expect(throws: SymbolError.invalidAsset("")) { try Symbol(base: "", quote: "USDT") }
        #expect(throws: SymbolError.invalidAsset("US DT")) { try Symbol(base: "BTC", quote: "us dt") }
        #expect(throws: SymbolError.invalidAsset("BTC-X")) { try Symbol(base: "btc-x", quote: "USDT") }
        #expect(throws: SymbolError.sameAssets("BTC")) { try Symbol(base: "BTC", quote: "btc") }
        #expect(SymbolError.invalidAsset("US DT").description == "asset 'US DT' must be non-empty letters and digits")
        #expect(SymbolError.sameAssets("BTC").description == "base and quote are both 'BTC'")
    }

    @Test("splits a concatenated symbol at every known quote asset")
    func splitsAtEveryKnownQuote() throws {
        for quote in Symbol.knownQuoteAssets {
            let symbol = try Symbol(parsing: "ZZZ" + quote)
            #expect(symbol.base == "ZZZ", "\(quote)")
            #expect(symbol.quote == quote)
        }
    }

    @Test(
        "spells a symbol the way each venue writes it",
        arguments: [
            (Symbol.Spelling.concatenated, "BTCUSDT"),
            (.dashed, "BTC-USDT"),
            (.okxSwap, "BTC-USDT-SWAP"),
        ] as [(Symbol.Spelling, String)]
    )
    func spellsForVenues(spelling: Symbol.Spelling, expected: String) throws {
        let symbol = try Symbol(base: "BTC", quote: "USDT")
        #expect(symbol.venueSpelling(spelling) == expected)
    }

    @Test("reads back its own venue spellings")
    func venueSpellingsRoundTrip() throws {
        for (base, quote) in [("BTC", "USDT"), ("ETH", "BTC"), ("SUI", "USDC"), ("XRP", "EUR"), ("1INCH", "USDT")] {
            let spot = try Symbol(base: base, quote: quote)
            let swap = try Symbol(base: base, quote: quote, kind: .perpetual)
            #expect(try Symbol(venueSymbol: spot.venueSpelling(.concatenated)) == spot)
            #expect(try Symbol(venueSymbol: spot.venueSpelling(.dashed)) == spot)
            #expect(try Symbol(venueSymbol: swap.venueSpelling(.okxSwap)) == swap)
            #expect(try Symbol(parsing: spot.description) == spot)
            #expect(try Symbol(parsing: swap.description) == swap)
        }
    }

    @Test("prints the canonical BASE/QUOTE form, with :SWAP for perpetuals")
    func printsCanonicalForm() throws {
        #expect(try Symbol(parsing: "btcusdt").description == "BTC/USDT")
        #expect(try Symbol(parsing: "BTC-USDT-SWAP").description == "BTC/USDT:SWAP")
        #expect(try Symbol(parsing: "BTC-USDT-SWAP") != Symbol(parsing: "BTC-USDT"))
    }

    @Test("orders symbols by their canonical text")
    func ordersByText() throws {
        let symbols = try ["ETH/USDT", "BTC/USDT:SWAP", "BTC/USDT", "ADA/BTC"].map { try Symbol(parsing: $0) }
        #expect(symbols.sorted().map(\.description) == ["ADA/BTC", "BTC/USDT", "BTC/USDT:SWAP", "ETH/USDT"])
    }

    @Test("encodes as its canonical text and decodes any accepted spelling")
    func codable() throws {
        let symbols = try JSONDecoder().decode([Symbol].self, from: Data(#"["BTCUSDT", "eth-usdt-swap"]"#.utf8))
        #expect(
            symbols == [
                try Symbol(base: "BTC", quote: "USDT"), try Symbol(base: "ETH", quote: "USDT", kind: .perpetual),
            ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let json = try encoder.encode(symbols)
        #expect(String(decoding: json, as: UTF8.self) == #"["BTC/USDT","ETH/USDT:SWAP"]"#)
    }

    @Test("refuses to decode a bad symbol with a decoding error that quotes it")
    func refusesBadJSON() {
        let error = #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Symbol.self, from: Data(#""BTCXYZ""#.utf8))
        }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("expected dataCorrupted, got \(String(describing: error))")
            return
        }
        #expect(context.debugDescription.contains("'BTCXYZ' is not a symbol"))
    }
}
