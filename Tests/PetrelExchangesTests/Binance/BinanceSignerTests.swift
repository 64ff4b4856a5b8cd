import PetrelExchanges
import Testing

/// Binance's published signing examples (EXCHANGE-APIS.md §1.3) reproduced byte for byte.
@Suite("Binance signing")
struct BinanceSignerTests {
    static let secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
    static let apiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"

    @Test("the documented REST example (B1) and the percent-encoded full-width symbol (B2)")
    func restExamples() {
        let order: [(String, String)] = [
            ("symbol", "LTCBTC"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "1"),
            ("price", "0.1"), ("recvWindow", "5000"), ("timestamp", "1499827319559"),
        ]
        let query = BinanceSigner.encode(order)
        #expect(
            query
                == "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
        )
        #expect(
            BinanceSigner.restSignature(query: query, secret: Self.secret)
                == "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71")
        var wide = order
        wide[0] = ("symbol", "１２３４５６")
        let encoded = BinanceSigner.encode(wide)
        #expect(encoded.hasPrefix("symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY"))
        #expect(
            BinanceSigner.restSignature(query: encoded, secret: Self.secret)
                == "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3")
    }

    @Test("query and body are signed together with nothing between them (B3), and a GET account (B4)")
    func queryAndBody() {
        #expect(
            BinanceSigner.restSignature(
                query: "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC",
                body: "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559", secret: Self.secret)
                == "0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77")
        #expect(
            BinanceSigner.restSignature(query: "timestamp=1499827319559&recvWindow=5000", secret: Self.secret)
                == "6cd35332399b004466463b9ad65a112a14f31fb9ddfd5e19bd7298fbd491dbc7")
    }

    @Test("the WebSocket API signs the sorted, unencoded parameters (W1, W2)")
    func webSocketExamples() {
        var parameters = [
            "apiKey": Self.apiKey, "price": "52000.00", "quantity": "0.01000000", "recvWindow": "100", "side": "SELL",
            "symbol": "BTCUSDT", "timeInForce": "GTC", "timestamp": "1645423376532", "type": "LIMIT",
            "signature": "left out",
        ]
        #expect(
            BinanceSigner.signature(BinanceSigner.webSocketPayload(parameters), secret: Self.secret)
                == "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24")
        parameters["price"] = "0.10000000"
        parameters["quantity"] = "1.00000000"
        parameters["recvWindow"] = "5000"
        parameters["side"] = "BUY"
        parameters["symbol"] = "１２３４５６"
        #expect(
            BinanceSigner.signature(BinanceSigner.webSocketPayload(parameters), secret: Self.secret)
                == "b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd")
    }
}
