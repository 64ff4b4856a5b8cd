import Foundation
import PetrelCore
import Testing

@Suite("Order status transitions, fills and client order ids")
struct OrderTransitionTests {
    /// The lifecycle from DESIGN §3, written out here independently of `OrderStatus`: every move
    /// not listed is illegal.
    static let legalMoves: [OrderStatus: Set<OrderStatus>] = [
        .intent: [.submitted, .rejected, .cancelled],
        .submitted: [.accepted, .partiallyFilled, .filled, .rejected, .cancelled, .expired, .unknown],
        .accepted: [.partiallyFilled, .filled, .pendingCancel, .cancelled, .expired, .unknown],
        .partiallyFilled: [.partiallyFilled, .filled, .pendingCancel, .cancelled, .expired, .unknown],
        .pendingCancel: [.accepted, .partiallyFilled, .filled, .cancelled, .expired, .unknown],
        .unknown: [.accepted, .partiallyFilled, .filled, .cancelled, .rejected, .expired, .unknown],
        .filled: [],
        .cancelled: [],
        .rejected: [],
        .expired: [],
    ]

    static let id = ClientOrderID(botID: "bot1", sequence: 1)
    static let symbol = try! Symbol(parsing: "BTC/USDT")

    static func limitBuy(quantity: String = "1") throws -> Order {
        try Order(
            clientOrderID: id, symbol: symbol, side: .buy, type: .limit, quantity: dec(quantity), price: dec("100"),
            createdAt: 1_000)
    }

    static func fill(
        _ quantity: String, at price: String, fee: String = "0", side: OrderSide = .buy, id: ClientOrderID = id,
        trade: String = "t1", timestamp: Int64 = 2_000
    ) -> Fill {
        Fill(
            tradeID: trade, clientOrderID: id, symbol: symbol, side: side, price: dec(price), quantity: dec(quantity),
            fee: dec(fee), feeAsset: "USDT", liquidity: .maker, timestamp: timestamp)
    }

    /// A 1 BTC limit buy brought to `status` through legal moves only.
    static func order(in status: OrderStatus) throws -> Order {
        var order = try limitBuy()
        switch status {
        case .intent: break
        case .submitted: try order.transition(to: .submitted, at: 1_100)
        case .accepted:
            try order.transition(to: .submitted, at: 1_100)
            try order.transition(to: .accepted, at: 1_200)
        case .partiallyFilled:
            try order.transition(to: .submitted, at: 1_100)
            try order.apply(fill("0.4", at: "100"))
        case .pendingCancel:
            try order.transition(to: .submitted, at: 1_100)
            try order.transition(to: .accepted, at: 1_200)
            try order.transition(to: .pendingCancel, at: 1_300)
        case .filled:
            try order.transition(to: .submitted, at: 1_100)
            try order.apply(fill("1", at: "100"))
        case .cancelled: try order.transition(to: .cancelled, at: 1_100)
        case .rejected: try order.transition(to: .rejected, at: 1_100, reason: "insufficient balance")
        case .expired:
            try order.transition(to: .submitted, at: 1_100)
            try order.transition(to: .expired, at: 1_200)
        case .unknown:
            try order.transition(to: .submitted, at: 1_100)
            try order.transition(to: .unknown, at: 1_200)
        }
        #expect(order.status == status)
        return order
    }

    // MARK: The table

    @Test(
        "allows a move exactly when the lifecycle table lists it", arguments: OrderStatus.allCases, OrderStatus.allCases
    )
    func tableMatchesLifecycle(from: OrderStatus, to: OrderStatus) throws {
        let legal = try #require(Self.legalMoves[from]).contains(to)
        #expect(from.canTransition(to: to) == legal)
        #expect(from.allowedNextStatuses.contains(to) == legal)
    }

    @Test(
        "an order moves through transition(to:) only along the table and is unchanged otherwise",
        arguments: OrderStatus.allCases, OrderStatus.allCases
    )
    func orderTransitions(from: OrderStatus, to: OrderStatus) throws {
        var order = try Self.order(in: from)
        let before = order
        // `filled` is reached through fills (next test); by itself it would leave quantity unfilled.
        if Self.legalMoves[from]?.contains(to) == true && to != .filled {
            try order.transition(to: to, at: 9_000, reason: "why")
            #expect(order.status == to)
            #expect(order.updatedAt == 9_000)
            #expect(order.rejectReason == (to == .rejected ? "why" : before.rejectReason))
            #expect(order.filledQuantity == before.filledQuantity)
        } else {
            #expect(throws: OrderError.illegalTransition(Self.id, from: from, to: to)) {
                try order.transition(to: to, at: 9_000)
            }
            #expect(order == before)
        }
    }

    @Test(
        "a fill that completes the order moves it to filled from every status that allows it",
        arguments: OrderStatus.allCases
    )
    func fillingFromEachStatus(from: OrderStatus) throws {
        var order = try Self.order(in: from)
        let before = order
        let fill = Self.fill(order.remainingQuantity.description, at: "100", timestamp: 9_000)
        if Self.legalMoves[from]?.contains(.filled) == true {
            try order.apply(fill)
            #expect(order.status == .filled)
            #expect(order.remainingQuantity == .zero)
            #expect(order.updatedAt == 9_000)
        } else {
            #expect(throws: OrderError.self) { try order.apply(fill) }
            #expect(order == before)
        }
    }

    @Test("terminal statuses accept no move and count as closed", arguments: OrderStatus.allCases)
    func terminalStatuses(status: OrderStatus) {
        let terminal = [.filled, .cancelled, .rejected, .expired].contains(status)
        #expect(status.isTerminal == terminal)
        #expect(status.allowedNextStatuses.isEmpty == terminal)
        #expect(status.isOpen == (!terminal && status != .intent))
    }

    @Test("moving to filled without the whole quantity filled is refused")
    func filledNeedsWholeQuantity() throws {
        var order = try Self.order(in: .partiallyFilled)
        let before = order
        #expect(throws: OrderError.illegalTransition(Self.id, from: .partiallyFilled, to: .filled)) {
            try order.transition(to: .filled, at: 9_000)
        }
        #expect(order == before)
    }

    @Test("explains an illegal move with the order id and both statuses")
    func illegalMoveMessage() {
        let error = OrderError.illegalTransition(Self.id, from: .filled, to: .pendingCancel)
        #expect(error.description == "order bot1x1 cannot move from filled to pending_cancel")
    }

    // MARK: Fills

    @Test("a partial fill then the rest moves partially filled → filled with an exact average price")
    func partialThenFilled() throws {
        var order = try Self.order(in: .accepted)
        try order.apply(Self.fill("0.4", at: "100", fee: "0.04", trade: "t1", timestamp: 5_000))
        #expect(order.status == .partiallyFilled)
        #expect(order.filledQuantity == dec("0.4"))
        #expect(order.remainingQuantity == dec("0.6"))
        #expect(order.averageFillPrice == dec("100"))
        #expect(order.updatedAt == 5_000)

        try order.apply(Self.fill("0.6", at: "101", fee: "0.0606", trade: "t2", timestamp: 6_000))
        #expect(order.status == .filled)
        #expect(order.filledQuantity == dec("1"))
        #expect(order.remainingQuantity == .zero)
        #expect(order.filledNotional == dec("100.6"))
        #expect(order.averageFillPrice == dec("100.6"))
        #expect(order.fees == dec("0.1006"))
        #expect(order.updatedAt == 6_000)
    }

    @Test("the average fill price is the volume-weighted mean rounded half-even at the 8th digit")
    func averageFillPrice() throws {
        var order = try Self.limitBuy(quantity: "0.3")
        try order.transition(to: .submitted, at: 1_100)
        #expect(order.averageFillPrice == nil)
        try order.apply(Self.fill("0.1", at: "23141.57", trade: "t1"))
        try order.apply(Self.fill("0.2", at: "23141.58", trade: "t2"))
        // (2314.157 + 4628.316) / 0.3 = 23141.576666…
        #expect(order.filledNotional == dec("6942.473"))
        #expect(order.averageFillPrice == dec("23141.57666667"))
    }

    @Test("a fill beyond the ordered quantity is refused and changes nothing")
    func overfillRejected() throws {
        var order = try Self.order(in: .partiallyFilled)
        let before = order
        #expect(throws: OrderError.overfill(Self.id, ordered: dec("1"), filled: dec("1.1"))) {
            try order.apply(Self.fill("0.7", at: "100", trade: "t2"))
        }
        #expect(order == before)
        #expect(
            OrderError.overfill(Self.id, ordered: dec("1"), filled: dec("1.1")).description
                == "order bot1x1 would be filled 1.1, more than its quantity 1")
    }

    @Test("a fill of another order, of the other side or of no quantity is refused and changes nothing")
    func mismatchedFillsRejected() throws {
        var order = try Self.order(in: .accepted)
        let before = order
        let other = try ClientOrderID("bot1x2")
        #expect(throws: OrderError.fillMismatch(Self.id, "different client id")) {
            try order.apply(Self.fill("0.1", at: "100", id: other))
        }
        #expect(throws: OrderError.fillMismatch(Self.id, "side sell")) {
            try order.apply(Self.fill("0.1", at: "100", side: .sell))
        }
        #expect(throws: OrderError.quantityNotPositive(.zero)) { try order.apply(Self.fill("0", at: "100")) }
        #expect(throws: OrderError.quantityNotPositive(dec("-0.1"))) { try order.apply(Self.fill("-0.1", at: "100")) }
        #expect(order == before)
        #expect(
            OrderError.fillMismatch(Self.id, "side sell").description
                == "fill does not belong to order bot1x1: side sell")
    }

    @Test("a fill before the order was sent is an illegal move")
    func fillOfIntentRejected() throws {
        var order = try Self.order(in: .intent)
        let before = order
        #expect(throws: OrderError.illegalTransition(Self.id, from: .intent, to: .partiallyFilled)) {
            try order.apply(Self.fill("0.1", at: "100"))
        }
        #expect(order == before)
    }

    @Test("a fill whose value or fee overflows is reported, not a crash, and changes nothing")
    func overflowingFillRejected() throws {
        var order = try Self.limitBuy(quantity: "10")
        try order.transition(to: .submitted, at: 1_100)
        let before = order
        let valueError = #expect(throws: OrderError.self) { try order.apply(Self.fill("2", at: "92233720368")) }
        #expect(valueError == .arithmetic(.overflow("92233720368 × 2")))
        #expect(order == before)

        try order.apply(Self.fill("0.1", at: "100", fee: "92233720368", trade: "t2"))
        #expect(order.fees == dec("92233720368"))
        let afterFirstFee = order
        let feeError = #expect(throws: OrderError.self) {
            try order.apply(Self.fill("0.1", at: "100", fee: "1", trade: "t3"))
        }
        guard case .arithmetic(.overflow) = feeError else {
            Issue.record("expected an arithmetic overflow, got \(String(describing: feeError))")
            return
        }
        #expect(order == afterFirstFee)
    }

    // MARK: Creating orders

    @Test("a new order starts as an intent with nothing filled")
    func newOrder() throws {
        let order = try Order(
            clientOrderID: Self.id, symbol: Self.symbol, side: .sell, type: .stopLimit, quantity: dec("0.5"),
            price: dec("99"), stopPrice: dec("100"), timeInForce: .ioc, reduceOnly: true, createdAt: 42,
            tag: "stop_loss")
        #expect(order.status == .intent)
        #expect(order.filledQuantity == .zero && order.filledNotional == .zero && order.fees == .zero)
        #expect(order.remainingQuantity == dec("0.5"))
        #expect(order.price == dec("99") && order.stopPrice == dec("100"))
        #expect(order.createdAt == 42 && order.updatedAt == 42)
        #expect(order.timeInForce == .ioc && order.reduceOnly && order.tag == "stop_loss")
        #expect(order.averageFillPrice == nil && order.rejectReason == nil && order.venueOrderID == nil)
    }

    @Test("a market order keeps no limit or stop price it does not use")
    func marketOrderDropsPrices() throws {
        let order = try Order(
            clientOrderID: Self.id, symbol: Self.symbol, side: .buy, type: .market, quantity: dec("1"),
            price: dec("100"), stopPrice: dec("90"), createdAt: 0)
        #expect(order.price == nil && order.stopPrice == nil)
    }

    @Test(
        "refuses an order whose type lacks a needed price, or whose quantity is not positive",
        arguments: [
            (OrderType.limit, nil, "90", "1", OrderError.missingPrice(.limit), "a limit order needs a limit price"),
            (.stopLimit, nil, "90", "1", .missingPrice(.stopLimit), "a stop_limit order needs a limit price"),
            (.stopLimit, "100", nil, "1", .missingStopPrice(.stopLimit), "a stop_limit order needs a stop price"),
            (.stopMarket, nil, nil, "1", .missingStopPrice(.stopMarket), "a stop_market order needs a stop price"),
            (.market, nil, nil, "0", .quantityNotPositive(.zero), "order quantity 0 must be greater than zero"),
            (.market, nil, nil, "-1", .quantityNotPositive(dec("-1")), "order quantity -1 must be greater than zero"),
        ] as [(OrderType, String?, String?, String, OrderError, String)]
    )
    func refusesIncompleteOrders(
        type: OrderType, price: String?, stopPrice: String?, quantity: String, expected: OrderError, message: String
    ) {
        #expect(throws: expected) {
            try Order(
                clientOrderID: Self.id, symbol: Self.symbol, side: .buy, type: type, quantity: dec(quantity),
                price: price.map(dec), stopPrice: stopPrice.map(dec), createdAt: 0)
        }
        #expect(expected.description == message)
    }

    @Test("round-trips through JSON with its status and fills")
    func jsonRoundTrip() throws {
        let order = try Self.order(in: .partiallyFilled)
        let decoded = try JSONDecoder().decode(Order.self, from: JSONEncoder().encode(order))
        #expect(decoded == order)
    }

    @Test("order enums use the venue-neutral spellings")
    func enumSpellings() {
        #expect(OrderStatus.partiallyFilled.rawValue == "partially_filled")
        #expect(OrderStatus.pendingCancel.rawValue == "pending_cancel")
        #expect(OrderType.stopMarket.rawValue == "stop_market")
        #expect(TimeInForce.postOnly.rawValue == "post_only")
        #expect(OrderSide.buy.opposite == .sell && OrderSide.sell.opposite == .buy)
        #expect(OrderSide.buy.sign == 1 && OrderSide.sell.sign == -1)
        #expect(OrderType.stopLimit.needsLimitPrice && OrderType.stopLimit.needsStopPrice)
        #expect(!OrderType.market.needsLimitPrice && !OrderType.market.needsStopPrice)
    }

    // MARK: Client order ids

    @Test(
        "derives the id from the bot id and the sequence in base 36",
        arguments: [
            ("bot-1", 0, "bot1x0"),
            ("momentum", 35, "momentumxz"),
            ("momentum", 36, "momentumx10"),
            ("grid_eth", 1_188, "grid_ethxx0"),
            ("", 7, "px7"),
            ("---", 7, "px7"),
            ("été", 1, "tx1"),
            ("bot", UInt64.max, "botx3w5e11264sgsf"),
            ("momentum_btc_usdt_fast_1", 5, "momentum_btc_usdt_x5"),
            ("3f2a9c4e-8b1d-4c6f-9e2a-7d5b1c0e4f88", 1, "3f2a9c4e8b1d4c6f9ex1"),
        ] as [(String, UInt64, String)]
    )
    func derivesIDs(botID: String, sequence: UInt64, expected: String) {
        #expect(ClientOrderID(botID: botID, sequence: sequence).rawValue == expected)
    }

    @Test("derived ids are deterministic, at most 32 valid characters, and distinct per sequence")
    func derivedIDProperties() throws {
        var random = SplitMix64(seed: 32)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-x.é ")
        for _ in 0..<500 {
            let botID = String(
                (0..<Int(random.next() % 60)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            var seen: [String: UInt64] = [:]
            for _ in 0..<40 {
                // Sequences of every base-36 length, from 1 to 13 digits.
                let sequence = random.next() >> (random.next() % 64)
                let id = ClientOrderID(botID: botID, sequence: sequence)
                #expect(id == ClientOrderID(botID: botID, sequence: sequence))
                #expect(id.rawValue.count <= ClientOrderID.maxLength, "\(id)")
                #expect(try ClientOrderID(id.rawValue) == id)
                if let earlier = seen[id.rawValue], earlier != sequence {
                    Issue.record("bot '\(botID)': sequences \(earlier) and \(sequence) both give \(id)")
                }
                seen[id.rawValue] = sequence
            }
        }
    }

    @Test("a long bot id never makes a later order reuse an earlier order's id")
    func longBotIDsStayDistinct() {
        // 40 characters with an "x" where a longer sequence suffix would cut the bot part.
        let botID = String(repeating: "x", count: 40)
        let first = ClientOrderID(botID: botID, sequence: 0)
        // 1188 is "x0" in base 36.
        let later = ClientOrderID(botID: botID, sequence: 1_188)
        #expect(first != later)
        let grid = "grid_strategy_for_btc_usdt_box"
        #expect(ClientOrderID(botID: grid, sequence: 1) != ClientOrderID(botID: grid, sequence: 33 * 36 + 1))
    }

    @Test(
        "accepts existing ids of 1–32 characters from A–Z, a–z, 0–9, '_' and '-'",
        arguments: ["a", "bot1x0", "ABC_def-123", String(repeating: "z", count: 32)]
    )
    func acceptsValidIDs(text: String) throws {
        #expect(try ClientOrderID(text).rawValue == text)
        #expect(try ClientOrderID(text).description == text)
    }

    @Test(
        "refuses ids that are empty, too long or hold other characters",
        arguments: ["", String(repeating: "z", count: 33), "bot 1", "bot.1", "bøt", "bot/1", "x\n"]
    )
    func refusesInvalidIDs(text: String) {
        #expect(throws: OrderError.invalidClientOrderID(text)) { try ClientOrderID(text) }
        #expect(
            OrderError.invalidClientOrderID(text).description
                == "client order id '\(text)' must be 1–32 characters of A–Z, a–z, 0–9, '_' or '-'")
    }

    @Test("client order ids encode as plain strings and refuse bad ones when decoded")
    func clientOrderIDCodable() throws {
        let data = try JSONEncoder().encode([try ClientOrderID("bot1x0")])
        #expect(String(decoding: data, as: UTF8.self) == #"["bot1x0"]"#)
        #expect(try JSONDecoder().decode([ClientOrderID].self, from: data) == [try ClientOrderID("bot1x0")])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ClientOrderID.self, from: Data(#""bot 1""#.utf8))
        }
    }
}
