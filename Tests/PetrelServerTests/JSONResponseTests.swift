import Testing

@testable import PetrelServer

/// The API's JSON keys.
@Suite("JSON response keys")
struct JSONResponseTests {
    @Test(
        "camelCase names become snake_case with acronyms kept whole",
        arguments: [
            ("realizedPnL", "realized_pnl"), ("unrealizedPnL", "unrealized_pnl"), ("clientOrderID", "client_order_id"),
            ("botID", "bot_id"), ("lastCandleTime", "last_candle_time"), ("expiresIn", "expires_in"),
            ("HTTPStatus", "http_status"), ("from_pair", "from_pair"), ("id", "id"), ("ownerID", "owner_id"),
        ])
    func snakeCase(key: String, expected: String) {
        #expect(JSONResponse.snakeCase(key) == expected)
    }
}
