import Foundation
import Logging
import PetrelCore
import PetrelExchanges
import PetrelPersistence
import PetrelRuntime

extension BotAssembly {
    /// A runner on a venue's live market (`"data_source": "binance"`, `"okx"`, `"ibkr"` or `"yahoo"`): warm-up
    /// history and closed candles from the venue (Binance: REST and the kline stream at `data.base_url` /
    /// `data.ws_url`; OKX, IBKR's gateway and Yahoo: polled REST), the instrument's rules from the venue, and
    /// orders either on the paper exchange, which fills at the venue's best bid and ask, or, for a live
    /// `binance`, `okx` or `ibkr` broker, on the venue itself (`broker.base_url`; the bot's key, none for
    /// IBKR, whose gateway holds the session). Time is the wall clock.
    /// - Throws: ``BotSetupError`` at `$.data.symbol` when the venue does not list the symbol (or at
    ///   `$.data.interval` for a timeframe IBKR has no bars of); the venue's error when it cannot be reached,
    ///   does not trade the symbol yet, or nobody is logged in at IBKR's gateway (the supervisor retries the
    ///   start).
    func makeLiveRunner(database: PetrelDatabase, bots: (any BotRepository)?) async throws -> BotRunner {
        let clock = LiveClock()
        let source: any MarketDataClient
        let venueRules: InstrumentRules
        let streamsQuotes: Bool
        let origin: String
        switch bot.data.dataSource {
        case .yahoo:
            let yahoo = YahooClient(baseURL: bot.data.baseURL ?? YahooClient.liveURL, now: { clock.now() })
            source = YahooMarketDataClient(client: yahoo)
            venueRules = rules
            streamsQuotes = false
            origin = "yahoo (\(yahoo.baseURL), polled)"
        case .okx:
            let okx = OKXClient(
                baseURL: bot.data.baseURL ?? OKXClient.liveURL, now: { clock.now() },
                logger: Logger(label: "petrel.bot.\(botID).okx"))
            venueRules = try await Self.rules(bot.data.symbol, from: okx)
            source = OKXMarketDataClient(client: okx)
            // Polled tickers: the paper exchange fills at OKX's best bid and ask.
            streamsQuotes = true
            origin = "okx (\(okx.baseURL), polled)"
        case .ibkr:
            let gateway = IBKRClient(baseURL: bot.data.baseURL ?? IBKRClient.gatewayURL, now: { clock.now() })
            venueRules = try await Self.rules(bot.data.symbol, interval: bot.data.interval, from: gateway)
            source = IBKRMarketDataClient(client: gateway)
            // Polled snapshots: the paper exchange fills at IBKR's bid and ask.
            streamsQuotes = true
            origin = "ibkr (\(gateway.baseURL), polled)"
        default:
            let client = BinanceClient(
                baseURL: bot.data.baseURL ?? BinanceClient.liveURL, now: { clock.now() },
                logger: Logger(label: "petrel.bot.\(botID).binance"),
                onBan: { [activity] alert in activity.record(.notice(alert)) })
            venueRules = try await Self.rules(bot.data.symbol, from: client)
            let streams = BinanceStreams(
                baseURL: bot.data.wsURL ?? BinanceStreams.liveURL, logger: Logger(label: "petrel.bot.\(botID).streams"),
                venueNow: { [client] in clock.now() + client.clockOffset })
            source = BinanceMarketDataClient(client: client, streams: streams)
            streamsQuotes = true
            origin = "binance (\(client.baseURL), streams \(streams.baseURL))"
        }
        // IBKR's gateway holds the session: a live ibkr broker has no keys.
        let live = credentials != nil || (!dryRun && bot.broker.type == .ibkr)
        let venue: any ExecutionClient
        var paperVenue: PaperExchange?
        if let credentials, bot.broker.type == .okx {
            // Real orders at OKX: the broker's base_url (else the data's), its key and passphrase.
            // A stored account's keys go only to its venue's endpoint, never to a config's URL.
            let broker = OKXClient(
                baseURL: storedAccount?.baseURL ?? bot.broker.baseURL ?? bot.data.baseURL ?? OKXClient.liveURL,
                demo: storedAccount?.demo ?? bot.broker.demo,
                credentials: OKXCredentials(
                    apiKey: credentials.apiKey, secret: credentials.secret, passphrase: credentials.passphrase ?? ""),
                now: { clock.now() }, logger: Logger(label: "petrel.bot.\(botID).okx"))
            venue = OKXExecutionClient(
                client: broker, marginMode: bot.broker.marginMode.flatMap(OKXExecutionClient.MarginMode.init) ?? .cross,
                leverage: bot.broker.leverage)
        } else if live, bot.broker.type == .ibkr {
            // Real orders at the IBKR gateway (broker.base_url, else the data's): it holds the session, no keys.
            venue = IBKRExecutionClient(
                client: IBKRClient(
                    baseURL: bot.broker.baseURL ?? bot.data.baseURL ?? IBKRClient.gatewayURL, now: { clock.now() }))
        } else if let credentials {
            // Real orders: the broker's own client (its base_url, else the data's), signed with the bot's key.
            let broker = BinanceClient(
                baseURL: storedAccount?.baseURL ?? bot.broker.baseURL ?? bot.data.baseURL ?? BinanceClient.liveURL,
                credentials: credentials,
                now: { clock.now() }, logger: Logger(label: "petrel.bot.\(botID).binance"),
                onBan: { [activity] alert in activity.record(.notice(alert)) })
            // Updates through the WebSocket API's user-data subscription (`broker.ws_url`, else the one that
            // goes with the REST URL), with REST passes as the safety net; REST polling alone without one.
            venue = BinanceExecutionClient(
                client: broker,
                userDataURL: (storedAccount == nil ? bot.broker.wsURL : nil)
                    ?? BinanceUserDataStream.url(forREST: broker.baseURL))
        } else {
            let paper = try await openPaperExchange(rules: venueRules, database: database, clock: clock)
            venue = paper
            paperVenue = paper
        }
        let service = MarketDataService(
            clients: [source], clock: clock,
            configuration: MarketDataService.Configuration(
                retryIntervalMilliseconds: Int64(bot.data.retryInterval) * 1_000))
        let strategyDrill = self.strategyDrill
        if strategyDrill != nil {
            activity.record(.notice("fault drill: the strategy will throw once (\(StrategyFaultDrill.variable))"))
        }
        let makeKernel = try kernelRecipe(
            protection: venue.supportsStopOrders ? .venueOrders : .clientSide, strategyDrill: strategyDrill,
            rules: venueRules)
        activity.record(
            .notice(
                "live market: \(bot.data.symbol) \(bot.data.interval.rawValue) from \(origin); "
                    + (live ? "REAL orders on \(bot.broker.type.rawValue)" : "orders on the paper exchange")
            ))
        let environment = BotEnvironment(
            botID: botID, mode: dryRun ? .dryRun : (live ? .live : .paper),
            brokerType: bot.broker.type.rawValue, makeKernel: makeKernel, execution: venue, quoteVenue: paperVenue,
            // A venue without a book (Yahoo) quotes the paper exchange from each candle, as a replay does.
            candleQuoteSpread: streamsQuotes ? nil : try FixedPoint(approximating: Self.quoteSpread),
            subscribesToQuotes: paperVenue != nil && streamsQuotes, orderStore: database.orderStore(bot: botID),
            journal: database.journal,
            bots: bots ?? database.bots, equity: database.equity, marketData: service, quoteSource: source,
            feed: CandleFeedKey(venue: source.venue, symbol: bot.data.symbol, timeframe: bot.data.interval),
            lookback: bot.data.lookbackBars, clock: clock, sleeper: TaskSleeper(),
            orderConfiguration: OrderManagerConfiguration(
                // An entry lost on the way is sent again only while it is still fresh: at most 5 minutes.
                resubmitWithin: min(300_000, max(60_000, 2 * bot.data.interval.milliseconds))),
            timerInterval: 1_000,
            observe: observer())
        return try BotRunner(environment: environment)
    }

    /// The trading rules OKX publishes for `symbol` (spot or perpetual swap, in base quantities).
    /// - Throws: ``BotSetupError`` at `$.data.symbol` when OKX does not list it; a retryable
    ///   ``ExecutionError`` while it is not live or OKX cannot be reached.
    static func rules(_ symbol: Symbol, from client: OKXClient) async throws -> InstrumentRules {
        let outcome: Result<OKXInstrument, ExecutionError>
        do {
            outcome = .success(try await client.instrument(symbol))
        } catch {
            outcome = .failure(error)
        }
        switch outcome {
        case .success(let instrument) where instrument.isLive:
            return instrument.rules
        case .success(let instrument):
            throw ExecutionError.retryable(
                "okx: \(instrument.id) is not trading (state \(instrument.state)); the bot starts when it trades again")
        case .failure(.fatal(let why)) where why.contains("does not list"):
            throw BotSetupError(why, field: "$.data.symbol")
        case .failure(let error):
            throw error
        }
    }

    /// The trading rules of an IBKR stock (``IBKRExecutionClient/instrumentRules(_:)``), once the gateway's
    /// session is checked.
    /// - Throws: ``BotSetupError`` at `$.data.symbol` when the gateway finds no stock contract for it or it
    ///   is not spot, at `$.data.interval` for a timeframe IBKR has no bars of; a fatal ``ExecutionError``
    ///   telling the person to log in at the gateway when its session is not authenticated (not permanent:
    ///   the supervisor retries the start, so the bot starts once someone logs in).
    static func rules(_ symbol: Symbol, interval: Timeframe, from client: IBKRClient) async throws -> InstrumentRules {
        guard IBKRClient.bar(interval) != nil else {
            throw BotSetupError(
                "ibkr has no \(interval.rawValue) bars; use 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 8h, 1d, 1w or 1M",
                field: "$.data.interval")
        }
        guard symbol.kind == .spot else {
            throw BotSetupError("ibkr trades stocks (\"AAPL/USD\"), not \(symbol)", field: "$.data.symbol")
        }
        let outcome: Result<InstrumentRules, ExecutionError>
        do {
            try await client.ensureAuthenticated()
            outcome = .success(try await IBKRExecutionClient(client: client).instrumentRules(symbol))
        } catch {
            outcome = .failure(error)
        }
        switch outcome {
        case .success(let rules):
            return rules
        case .failure(.fatal(let why)) where why.contains("no stock contract"):
            throw BotSetupError(why, field: "$.data.symbol")
        case .failure(let error):
            throw error
        }
    }

    /// The trading rules Binance publishes for `symbol`.
    /// - Throws: ``BotSetupError`` at `$.data.symbol` when Binance does not list it (a restart cannot
    ///   help); a retryable ``ExecutionError`` while it does not trade (a halt ends; the supervisor
    ///   retries) or the venue cannot be reached.
    static func rules(_ symbol: Symbol, from client: BinanceClient) async throws -> InstrumentRules {
        let id = symbol.venueSpelling(.concatenated)
        let outcome: Result<[BinanceInstrument], ExecutionError>
        do {
            outcome = .success(try await client.instruments([id]))
        } catch {
            outcome = .failure(error)
        }
        let listed: [BinanceInstrument]
        switch outcome {
        case .success(let instruments): listed = instruments
        case .failure(.rejected(let why)) where why.contains("-1121"): listed = []
        case .failure(let error): throw error
        }
        guard let instrument = listed.first(where: { $0.id == id }) else {
            throw BotSetupError("binance does not list \(symbol) (\(id))", field: "$.data.symbol")
        }
        guard instrument.isTrading else {
            throw ExecutionError.retryable(
                "binance: \(id) is not trading (status \(instrument.status)); the bot starts when it trades again")
        }
        return instrument.rules
    }
}
