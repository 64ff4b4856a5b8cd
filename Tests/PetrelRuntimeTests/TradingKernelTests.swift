import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

/// The kernel driven by hand, event by event, the way a live bot task drives it.
@Suite("Trading kernel driven event by event")
struct TradingKernelTests {
    static let btc = try! Symbol(parsing: "BTC/USDT")
    static let rules = try! InstrumentRules(symbol: btc, tickSize: decimal("0.01"), stepSize: decimal("0.001"))
    static let bar = TestCandles.candle("100", "101", "99", "100", at: TestCandles.newYear2024)

    static func kernel(
        _ actions: [Int: Signal.Action], risk: RiskSettings = .none, log: StrategyContextLog? = nil,
        entryRetries: Int = 0
    ) throws -> TradingKernel {
        try TradingKernel(
            configuration: KernelConfiguration(
                botID: "bot-1", risk: risk, sizing: .fixedAmount(decimal("1000")), costReserve: 0.001,
                initialCash: decimal("10000"), entryRetryIntervals: entryRetries),
            instruments: [KernelInstrument(rules: rules, strategy: ScriptedStrategy(actions, log: log))])
    }

    /// Feeds one closed candle (a new bar) and returns the actions it produced.
    static func close(_ kernel: inout TradingKernel, bar index: Int) throws -> [KernelAction] {
        var actions: [KernelAction] = []
        var candle = bar
        candle.timestamp += Int64(index) * 3_600_000
        kernel.beginBar(timestamp: candle.timestamp, into: &actions)
        try kernel.handleCandle(candle, instrument: 0, into: &actions)
        kernel.endOfBar(timestamp: candle.timestamp, into: &actions)
        return actions
    }

    static func submitted(_ actions: [KernelAction]) -> [Order] {
        actions.compactMap { if case .submit(let order) = $0 { return order } else { return nil } }
    }

    static func fill(_ order: Order, price: String, fee: String, id: String, at index: Int) -> Fill {
        Fill(
            tradeID: id, clientOrderID: order.clientOrderID, symbol: btc, side: order.side, price: decimal(price),
            quantity: order.quantity, fee: decimal(fee), feeAsset: "USDT", liquidity: .taker,
            timestamp: TestCandles.newYear2024 + Int64(index) * 3_600_000)
    }

    @Test("a signal becomes a journalled, submitted market order with a deterministic client id")
    func entryOrder() throws {
        var kernel = try Self.kernel([0: .enterLong])
        let actions = try Self.close(&kernel, bar: 0)
        #expect(actions.count == 2)
        guard case .signal(let symbol, let signal, let timestamp) = actions.first else {
            Issue.record("expected the signal first, got \(actions)")
            return
        }
        #expect(symbol == Self.btc && signal.action == .enterLong && timestamp == TestCandles.newYear2024)
        let order = try #require(Self.submitted(actions).first)
        #expect(order.clientOrderID.rawValue == "bot1x1")
        #expect(order.status == .submitted)
        #expect((order.side, order.type, order.reduceOnly) == (.buy, .market, false))
        // 1 000 / 100 = 10 BTC.
        #expect(order.quantity == decimal("10"))
        #expect(order.tag == "scripted enter_long at bar 0")
        #expect(kernel.openOrders.map(\.clientOrderID) == [order.clientOrderID])
    }

    @Test("a fill delivered twice is applied once")
    func duplicateFill() throws {
        var kernel = try Self.kernel([0: .enterLong])
        let order = try #require(Self.submitted(try Self.close(&kernel, bar: 0)).first)
        kernel.handleOrderAccepted(order.clientOrderID, venueOrderID: "v-1", at: TestCandles.newYear2024)
        let fill = Self.fill(order, price: "100", fee: "1", id: "t-1", at: 1)
        var actions: [KernelAction] = []
        try kernel.handleFill(fill, into: &actions)
        try kernel.handleFill(fill, into: &actions)
        #expect(kernel.positions[0].quantity == decimal("10"))
        #expect(kernel.cash == decimal("8999"))
        #expect(kernel.totalFees == decimal("1"))
        #expect(kernel.openOrders.isEmpty)
    }

    @Test("the kill switch cancels open orders, closes positions with a risk exit and blocks entries")
    func killSwitch() throws {
        // Bar indices count the candles the kernel has seen: its second candle is index 1.
        var kernel = try Self.kernel([0: .enterLong, 1: .enterLong], risk: RiskSettings(stopLossPct: 5))
        let entry = try #require(Self.submitted(try Self.close(&kernel, bar: 0)).first)
        var actions: [KernelAction] = []
        try kernel.handleFill(Self.fill(entry, price: "100", fee: "1", id: "t-1", at: 1), into: &actions)
        let stop = try #require(Self.submitted(actions).first)
        #expect((stop.type, stop.stopPrice, stop.reduceOnly) == (.stopMarket, decimal("95"), true))

        actions = []
        kernel.halt(reason: "kill switch", at: TestCandles.newYear2024 + 3_600_000, into: &actions)
        #expect(kernel.tradingState == .halted)
        guard case .tradingStateChanged(.halted, let reason, _) = actions.first else {
            Issue.record("expected the state change first, got \(actions)")
            return
        }
        #expect(reason == "kill switch")
        let cancelled = actions.compactMap { if case .cancel(let id, _) = $0 { return id } else { return nil } }
        #expect(cancelled == [stop.clientOrderID])
        let exit = try #require(Self.submitted(actions).first)
        #expect((exit.side, exit.type, exit.reduceOnly, exit.quantity) == (.sell, .market, true, decimal("10")))
        #expect(exit.tag == "kill switch")

        var closing: [KernelAction] = []
        try kernel.handleFill(Self.fill(exit, price: "99", fee: "0.99", id: "t-2", at: 2), into: &closing)
        #expect(kernel.positions[0].isFlat)
        let trades = closing.compactMap { if case .tradeClosed(let trade) = $0 { return trade } else { return nil } }
        #expect(trades.map(\.exitReason) == ["risk_exit"])
        #expect(trades.map(\.netPnL) == [decimal("-11.99")])

        let later = try Self.close(&kernel, bar: 2)
        #expect(Self.submitted(later).isEmpty)
        let skips = later.compactMap { if case .skipped(_, let reason, _) = $0 { return reason } else { return nil } }
        #expect(skips == ["entry skipped: trading state is halted"])
    }

    @Test("a rejected entry is journalled with the venue's reason and frees the symbol for the next signal")
    func rejectedEntry() throws {
        var kernel = try Self.kernel([0: .enterLong, 1: .enterLong])
        let first = try #require(Self.submitted(try Self.close(&kernel, bar: 0)).first)
        var actions: [KernelAction] = []
        kernel.handleOrderClosed(
            first.clientOrderID, status: .rejected, reason: "insufficient margin", at: 5, into: &actions)
        guard case .skipped(_, let reason, let timestamp) = actions.first else {
            Issue.record("expected a skipped entry, got \(actions)")
            return
        }
        #expect(reason == "entry rejected: insufficient margin")
        #expect(timestamp == 5)
        let second = try #require(Self.submitted(try Self.close(&kernel, bar: 1)).first)
        #expect(second.clientOrderID.rawValue == "bot1x2")
    }

    static func skippedReasons(_ actions: [KernelAction]) -> [String] {
        actions.compactMap { if case .skipped(_, let reason, _) = $0 { return reason } else { return nil } }
    }

    @Test("an entry the venue refuses for insufficient balance is sent again on the next intervals, then dropped")
    func insufficientBalanceRetry() throws {
        var kernel = try Self.kernel([0: .enterLong], entryRetries: 2)
        let venueReason = "Account has insufficient balance for requested action."
        var sent: [String] = []
        var reasons: [String] = []
        for bar in 0..<4 {
            for order in Self.submitted(try Self.close(&kernel, bar: bar)) {
                sent.append(order.clientOrderID.rawValue)
                var actions: [KernelAction] = []
                kernel.handleOrderClosed(
                    order.clientOrderID, status: .rejected, reason: venueReason, at: 5, into: &actions)
                reasons += Self.skippedReasons(actions)
            }
        }
        // A new client id each time: a refused order is closed, never resent under its old id.
        #expect(sent == ["bot1x1", "bot1x2", "bot1x3"])
        #expect(
            reasons == [
                "entry rejected: \(venueReason); retrying next interval (2 left)",
                "entry rejected: \(venueReason); retrying next interval (1 left)",
                "entry rejected: \(venueReason)",
            ])
        #expect(kernel.dailyEntries == 0)
    }

    @Test("an entry the venue refuses for want of a quote (a live feed's first moments) is tried again next interval")
    func missingQuoteRetry() throws {
        var kernel = try Self.kernel([0: .enterLong], entryRetries: 3)
        let first = try #require(Self.submitted(try Self.close(&kernel, bar: 0)).first)
        var actions: [KernelAction] = []
        let reason = "no quote for BTC/USDT yet: a market order needs a price"
        kernel.handleOrderClosed(first.clientOrderID, status: .rejected, reason: reason, at: 5, into: &actions)
        #expect(Self.skippedReasons(actions) == ["entry rejected: \(reason); retrying next interval (3 left)"])
        let retry = try #require(Self.submitted(try Self.close(&kernel, bar: 1)).first)
        #expect(retry.clientOrderID.rawValue == "bot1x2" && retry.side == .buy)
        // Another refusal is not a passing state: dropped at once.
        var other: [KernelAction] = []
        kernel.handleOrderClosed(retry.clientOrderID, status: .rejected, reason: "market closed", at: 6, into: &other)
        #expect(Self.skippedReasons(other) == ["entry rejected: market closed"])
    }

    @Test("a retried entry goes through once the balance is there, and says it is a retry")
    func retriedEntryFills() throws {
        var kernel = try Self.kernel([0: .enterLong], entryRetries: 3)
        let first = try #require(Self.submitted(try Self.close(&kernel, bar: 0)).first)
        var actions: [KernelAction] = []
        kernel.handleOrderClosed(
            first.clientOrderID, status: .rejected, reason: "insufficient USDT balance to fill at 100", at: 5,
            into: &actions)
        let retryActions = try Self.close(&kernel, bar: 1)
        let retry = try #require(Self.submitted(retryActions).first)
        let signals = retryActions.compactMap { action -> String? in
            if case .signal(_, let signal, _) = action { return signal.reasoning } else { return nil }
        }
        #expect(signals.count == 1)
        #expect(signals.first?.hasPrefix("retry after insufficient balance: ") == true)
        var fillActions: [KernelAction] = []
        try kernel.handleFill(Self.fill(retry, price: "100", fee: "0", id: "t1", at: 1), into: &fillActions)
        #expect(kernel.positions[0].quantity == retry.quantity)
        #expect(Self.submitted(try Self.close(&kernel, bar: 2)).isEmpty)
    }

    @Test("a newer signal replaces an entry waiting for balance, and other refusals are not retried")
    func retrySupersededAndOtherReasons() throws {
        var kernel = try Self.kernel([0: .enterLong, 1: .exitLong], entryRetries: 3)
        let first = try #require(Self.submitted(try Self.close(&kernel, bar: 0)).first)
        var actions: [KernelAction] = []
        kernel.handleOrderClosed(
            first.clientOrderID, status: .rejected, reason: "Insufficient balance", at: 5, into: &actions)
        #expect(
            Self.skippedReasons(actions) == ["entry rejected: Insufficient balance; retrying next interval (3 left)"])
        #expect(Self.submitted(try Self.close(&kernel, bar: 1)).isEmpty)
        #expect(Self.submitted(try Self.close(&kernel, bar: 2)).isEmpty)

        var other = try Self.kernel([0: .enterLong], entryRetries: 3)
        let refused = try #require(Self.submitted(try Self.close(&other, bar: 0)).first)
        actions = []
        other.handleOrderClosed(
            refused.clientOrderID, status: .rejected, reason: "binance -1013: Market is closed.", at: 5, into: &actions)
        #expect(Self.skippedReasons(actions) == ["entry rejected: binance -1013: Market is closed."])
        #expect(Self.submitted(try Self.close(&other, bar: 1)).isEmpty)

        // A refusal for the instrument's rules is retried: the bot reads the venue's rules again meanwhile.
        var filter = try Self.kernel([0: .enterLong], entryRetries: 3)
        let misfit = try #require(Self.submitted(try Self.close(&filter, bar: 0)).first)
        actions = []
        filter.handleOrderClosed(
            misfit.clientOrderID, status: .rejected, reason: "Filter failure: LOT_SIZE", at: 5, into: &actions)
        #expect(
            Self.skippedReasons(actions) == [
                "entry rejected: Filter failure: LOT_SIZE; retrying next interval (3 left)"
            ])
        let coarser = try InstrumentRules(
            symbol: misfit.symbol, tickSize: FixedPoint("0.01")!, stepSize: FixedPoint("0.1")!)
        #expect(filter.replaceRules(coarser) && !filter.replaceRules(coarser))
        let retried = try #require(Self.submitted(try Self.close(&filter, bar: 1)).first)
        #expect(retried.quantity.isMultiple(ofStep: FixedPoint("0.1")!))
    }

    /// A long position of 10 BTC at 100 on a kernel with client-side protection.
    static func clientSideLong(_ risk: RiskSettings) throws -> (TradingKernel, [KernelAction]) {
        var kernel = try TradingKernel(
            configuration: KernelConfiguration(
                botID: "bot-1", risk: risk, sizing: .fixedAmount(decimal("1000")), costReserve: 0,
                initialCash: decimal("10000"), protection: .clientSide),
            instruments: [KernelInstrument(rules: rules, strategy: ScriptedStrategy([0: .enterLong]))])
        let entry = try #require(submitted(try close(&kernel, bar: 0)).first)
        var actions: [KernelAction] = []
        try kernel.handleFill(fill(entry, price: "100", fee: "0", id: "t1", at: 1), into: &actions)
        return (kernel, actions)
    }

    /// Feeds a candle `o h l c` at bar `index` and returns the closing order it produced, if any.
    static func exitOrder(_ kernel: inout TradingKernel, _ ohlc: String, bar index: Int) throws -> Order? {
        let candle = TestCandles.series([ohlc], start: TestCandles.newYear2024 + Int64(index) * 3_600_000)[0]
        var actions: [KernelAction] = []
        kernel.beginBar(timestamp: candle.timestamp, into: &actions)
        try kernel.handleCandle(candle, instrument: 0, into: &actions)
        return submitted(actions).first { $0.reduceOnly }
    }

    @Test("client-side protection sends no resting orders and closes at market when a candle reaches a level")
    func clientSideStopAndTarget() throws {
        let risk = RiskSettings(stopLossPct: 2, takeProfitPct: 4)
        var (kernel, afterFill) = try Self.clientSideLong(risk)
        #expect(Self.submitted(afterFill).isEmpty, "no stop or take-profit order rests at the venue")
        #expect(try Self.exitOrder(&kernel, "100 101 98.5 100", bar: 1) == nil)
        let stop = try #require(try Self.exitOrder(&kernel, "100 100.5 97.9 99", bar: 2))
        #expect(stop.type == .market && stop.side == .sell && stop.quantity == decimal("10"))
        #expect(stop.tag == "stop loss 98 reached (client-side)")

        (kernel, afterFill) = try Self.clientSideLong(risk)
        let target = try #require(try Self.exitOrder(&kernel, "100 104.2 99 104", bar: 1))
        #expect(target.tag == "take profit 104 reached (client-side)")

        // A candle that spans both levels: the stop is assumed to have come first.
        (kernel, afterFill) = try Self.clientSideLong(risk)
        let both = try #require(try Self.exitOrder(&kernel, "100 105 97 101", bar: 1))
        #expect(both.tag == "stop loss 98 reached (client-side)")
    }

    @Test("a client-side trailing stop follows the high after the candle and closes when a later low reaches it")
    func clientSideTrailingStop() throws {
        let risk = RiskSettings(trailingStop: RiskSettings.TrailingStop(activationPct: 1, trailingPct: 1))
        var (kernel, _) = try Self.clientSideLong(risk)
        // High 103 activates it; the stop (103 × 0.99 = 101.97) applies from the next candle on.
        #expect(try Self.exitOrder(&kernel, "102 103 101.5 102.5", bar: 1) == nil)
        let exit = try #require(try Self.exitOrder(&kernel, "102.5 102.6 101.9 102", bar: 2))
        #expect(exit.tag == "trailing stop 101.97 reached (client-side)")
    }

    @Test("the strategy sees its bar index, position, entry and bars in position")
    func strategyContext() throws {
        let log = StrategyContextLog()
        var kernel = try Self.kernel([0: .enterLong], log: log)
        let entry = try #require(Self.submitted(try Self.close(&kernel, bar: 0)).first)
        // Filled at bar 1's open, before bar 1 closes.
        var actions: [KernelAction] = []
        kernel.beginBar(timestamp: TestCandles.newYear2024 + 3_600_000, into: &actions)
        try kernel.handleFill(Self.fill(entry, price: "100", fee: "1", id: "t-1", at: 1), into: &actions)
        var candle = Self.bar
        candle.timestamp += 3_600_000
        try kernel.handleCandle(candle, instrument: 0, into: &actions)
        kernel.endOfBar(timestamp: candle.timestamp, into: &actions)
        _ = try Self.close(&kernel, bar: 2)

        let contexts = log.contexts
        #expect(contexts.map(\.barIndex) == [0, 1, 2])
        #expect(contexts.map(\.positionQuantity) == [.zero, decimal("10"), decimal("10")])
        #expect(contexts.map(\.entryPrice) == [.zero, decimal("100"), decimal("100")])
        #expect(
            contexts.map(\.entryTime) == [
                nil, TestCandles.newYear2024 + 3_600_000, TestCandles.newYear2024 + 3_600_000,
            ])
        #expect(contexts.map(\.barsInPosition) == [0, 1, 2])
        // Equity at the previous close: 10 000, then 8 999 + 10 × 100 = 9 999.
        #expect(contexts.map(\.equity) == [10_000, 10_000, 9_999])
    }

    @Test("a kernel needs instruments that share one quote asset")
    func instrumentChecks() throws {
        let configuration = KernelConfiguration(botID: "b", initialCash: decimal("100"))
        #expect(throws: KernelError.self) { try TradingKernel(configuration: configuration, instruments: []) }
        let ethBTC = try InstrumentRules.unrestricted(Symbol(parsing: "ETH/BTC"))
        do {
            _ = try TradingKernel(
                configuration: configuration,
                instruments: [
                    KernelInstrument(rules: Self.rules, strategy: ScriptedStrategy([:])),
                    KernelInstrument(rules: ethBTC, strategy: ScriptedStrategy([:])),
                ])
            Issue.record("mixed quote assets were accepted")
        } catch {
            #expect(error.description == "all instruments of a bot must share one quote asset; got BTC, USDT")
        }
    }

    @Test("an entry the venue rejects does not use up the day's trade limit")
    func rejectedEntryDoesNotCount() throws {
        var kernel = try Self.kernel([0: .enterLong, 1: .enterLong], risk: RiskSettings(maxDailyTrades: 1))
        let first = try #require(Self.submitted(try Self.close(&kernel, bar: 0)).first)
        #expect(kernel.dailyEntries == 1)
        var actions: [KernelAction] = []
        kernel.handleOrderClosed(
            first.clientOrderID, status: .rejected, reason: "insufficient balance", at: TestCandles.newYear2024,
            into: &actions)
        #expect(kernel.dailyEntries == 0)
        // Same UTC day, one hour later: the second entry goes out.
        let second = Self.submitted(try Self.close(&kernel, bar: 1))
        #expect(second.count == 1)
        #expect(kernel.dailyEntries == 1)
    }

    @Test("a restarted kernel continues the order sequence instead of reissuing stored client ids")
    func resumesOrderSequence() throws {
        var first = try Self.kernel([0: .enterLong])
        let original = try #require(Self.submitted(try Self.close(&first, bar: 0)).first)
        #expect(first.orderSequence == 1)
        var restarted = try TradingKernel(
            configuration: KernelConfiguration(
                botID: "bot-1", sizing: .fixedAmount(decimal("1000")), costReserve: 0.001,
                initialCash: decimal("10000"), lastOrderSequence: first.orderSequence),
            instruments: [KernelInstrument(rules: Self.rules, strategy: ScriptedStrategy([0: .enterLong]))])
        let next = try #require(Self.submitted(try Self.close(&restarted, bar: 0)).first)
        #expect(next.clientOrderID != original.clientOrderID)
        #expect(next.clientOrderID == ClientOrderID(botID: "bot-1", sequence: 2))
    }
}
