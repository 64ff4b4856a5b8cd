import ArgumentParser
import Foundation
import PetrelCore
import PetrelExchanges
import PetrelMarketData
import PetrelRuntime

/// `--venue`, `--base-url` and `--demo`, shared by the commands that talk to a venue.
struct VenueOptions: ParsableArguments {
    /// Venues these commands can reach so far.
    static let venues = ["binance", "okx", "yahoo", "uphold"]

    @Option(help: "The venue: \(VenueOptions.venues.joined(separator: ", ")).")
    var venue: String
    @Option(
        help:
            "The venue's REST base URL (default: its live API; e.g. https://testnet.binance.vision for Binance's test network)."
    )
    var baseURL: String?
    @Flag(help: "OKX demo trading (sends x-simulated-trading: 1; needs a demo API key).") var demo = false

    func validate() throws {
        guard Self.venues.contains(venue) else {
            throw ValidationError(
                "--venue '\(venue)' is not supported; allowed: \(Self.venues.joined(separator: ", "))")
        }
        if let baseURL {
            guard let url = URL(string: baseURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("--base-url '\(baseURL)' must be an http or https URL")
            }
        }
        if demo, venue != "okx" { throw ValidationError("--demo is only for --venue okx") }
    }

    /// A Binance client for these options.
    func binance(credentials: VenueCredentials? = nil) -> BinanceClient {
        BinanceClient(baseURL: baseURL ?? BinanceClient.liveURL, credentials: credentials)
    }

    /// An OKX client for these options.
    func okx(credentials: OKXCredentials? = nil) -> OKXClient {
        OKXClient(baseURL: baseURL ?? OKXClient.liveURL, demo: demo, credentials: credentials)
    }

    /// The venue's instruments for discovery (Binance: spot; OKX: USDT perpetual swaps).
    /// - Throws: ``CLIError`` for Yahoo, which has no instrument list.
    func directory() throws -> any InstrumentDirectory {
        switch venue {
        case "uphold": throw CLIError("--venue uphold has no instrument list to discover; allowed: binance, okx")
        case "okx": return OKXInstrumentDirectory(client: okx())
        case "yahoo": throw CLIError("--venue yahoo has no instrument list to discover; allowed: binance, okx")
        default: return BinanceInstrumentDirectory(client: binance())
        }
    }

    /// Every closed candle in `[from, to)`, page by page, oldest first.
    func history(
        symbol: Symbol, timeframe: Timeframe, from: Int64, to: Int64, page: (_ candles: [Candle]) async throws -> Void
    ) async throws {
        if venue == "uphold" {
            throw CLIError("--venue uphold has no candle history; allowed: binance, okx, yahoo")
        } else if venue == "okx" {
            try await okx().history(symbol: symbol, timeframe: timeframe, from: from, to: to, page: page)
        } else if venue == "yahoo" {
            _ = try await YahooClient(baseURL: baseURL ?? YahooClient.liveURL).history(
                ticker: symbol.venueSpelling(.dashed), timeframe: timeframe, from: from, to: to, page: page)
        } else {
            try await binance().history(symbol: symbol, timeframe: timeframe, from: from, to: to, page: page)
        }
    }
}

extension DataCommand {
    /// `petrel data download`: a venue's candle history into a file, resumable.
    struct Download: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a venue's candle history into a .pcandles (or CSV) file; run it again to resume.",
            discussion: """
                The file is written every few pages, so an interrupted download keeps what it fetched; running the
                same command again continues after the file's last candle. Only closed candles are written.

                Example:
                  petrel data download --venue binance --symbol BTC/USDT --timeframe 1h --from 2024-01-01 --to 2024-07-01
                """)

        @OptionGroup var venue: VenueOptions
        @Option(help: "The symbol (BTC/USDT).") var symbol: String
        @Option(help: "The timeframe (1m … 1M).") var timeframe: String
        @Option(help: "First candle (YYYY-MM-DD[THH:MM], UTC, or Unix ms).") var from: String
        @Option(help: "End, exclusive (default: now).") var to: String?
        @Option(help: "Output file (default: VENUE_SYMBOL_TIMEFRAME.pcandles).") var out: String?

        func run() async throws {
            let symbol = try OptionParsing.symbol(self.symbol)
            let timeframe = try OptionParsing.timeframe(self.timeframe)
            let start = try MarketOptions.timestamp(from, option: "--from")
            let end =
                try to.map { try MarketOptions.timestamp($0, option: "--to") }
                ?? Int64(Date().timeIntervalSince1970 * 1_000)
            guard start < end else { throw CLIError("--from must be before --to") }
            let path =
                out
                ?? "\(venue.venue)_\(symbol.venueSpelling(.concatenated))_\(timeframe.rawValue).\(CandleSeries.binaryFileExtension)"
            var series = CandleSeries(symbol: symbol, timeframe: timeframe, candles: [], source: path)
            var resumeFrom = start
            if FileManager.default.fileExists(atPath: path) {
                let existing = try DataCommand.load(path, symbol: nil, timeframe: nil)
                guard existing.symbol == symbol, existing.timeframe == timeframe else {
                    throw CLIError(
                        "\(path) holds \(existing.symbol?.description ?? "?") \(existing.timeframe?.rawValue ?? "?"), not \(symbol) \(timeframe.rawValue); choose another --out"
                    )
                }
                series.candles = existing.candles.filter { $0.timestamp >= start && $0.timestamp < end }
                if let last = series.candles.last {
                    resumeFrom = last.timestamp + 1
                    Terminal.note(
                        "resuming after \(CivilDate.iso8601(milliseconds: last.timestamp)) (\(series.candles.count) candles already in \(path))"
                    )
                }
            }
            let bar = ProgressBar("\(symbol) \(timeframe.rawValue)")
            let span: Int64 = (end - start) / timeframe.milliseconds
            let expected = Int(max(Int64(1), span))
            var pages = 0
            let collected = CandleCollector(series)
            do {
                try await venue.history(symbol: symbol, timeframe: timeframe, from: resumeFrom, to: end) { page in
                    let count = collected.append(page)
                    pages += 1
                    bar.update(min(count, expected), expected)
                    if pages % 10 == 0 { try DataCommand.save(collected.series, to: path) }
                }
            } catch {
                if !collected.series.candles.isEmpty { try DataCommand.save(collected.series, to: path) }
                throw CLIError(
                    "\(venue.venue): \(error) (\(collected.series.candles.count) candles kept in \(path); run the command again to resume)"
                )
            }
            bar.update(expected, expected)
            let final = collected.series
            guard !final.candles.isEmpty else {
                throw CLIError(
                    "\(venue.venue) has no closed \(symbol) \(timeframe.rawValue) candles between --from and --to")
            }
            try DataCommand.save(final, to: path)
            Terminal.line(
                "wrote \(final.candles.count) candles of \(symbol) \(timeframe.rawValue) (\(CivilDate.iso8601(milliseconds: final.candles[0].timestamp)) to \(CivilDate.iso8601(milliseconds: final.candles[final.candles.count - 1].timestamp))) to \(path)"
            )
        }
    }
}

/// The downloaded candles so far (pages arrive in order).
final class CandleCollector: @unchecked Sendable {
    private(set) var series: CandleSeries

    init(_ series: CandleSeries) {
        self.series = series
    }

    /// Adds a page. - Returns: how many candles there are now.
    func append(_ page: [Candle]) -> Int {
        let last = series.candles.last?.timestamp ?? Int64.min
        series.candles += page.filter { $0.timestamp > last }
        return series.candles.count
    }
}

/// `petrel symbols …`: a venue's instruments.
struct SymbolsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "symbols", abstract: "List a venue's instruments (seed 004's symbol discovery).",
        subcommands: [Discover.self])

    struct Discover: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The venue's live instruments, by 24-hour traded value, largest first.")

        @OptionGroup var venue: VenueOptions
        @Option(help: "Only this quote asset (USDT).") var quote: String?
        @Option(help: "Only instruments that traded at least this much (in the quote asset) in 24 hours.")
        var minVolume: Double = 0
        @Option(help: "At most this many.") var limit = 50
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
            guard minVolume >= 0, minVolume.isFinite else { throw ValidationError("--min-volume must be 0 or more") }
        }

        func run() async throws {
            let directory = try venue.directory()
            let listed: [ListedInstrument]
            do {
                listed = try await directory.listInstruments()
            } catch {
                throw CLIError("\(venue.venue): \(error)")
            }
            let chosen = Array(
                listed.filter { item in quote.map { item.quote == $0.uppercased() } ?? true }
                    .filter { ($0.volume24h ?? 0) >= minVolume }
                    .sorted { ($0.volume24h ?? 0, $1.symbol) > ($1.volume24h ?? 0, $0.symbol) }
                    .prefix(limit))
            if json {
                let encoder = JSONEncoder()
                encoder.keyEncodingStrategy = .convertToSnakeCase
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                Terminal.line(String(decoding: try encoder.encode(chosen), as: UTF8.self))
                return
            }
            for item in chosen {
                let volume = item.volume24h.map { String(format: "%.0f", $0) } ?? "–"
                Terminal.line(
                    "\(item.symbol.padding(toLength: 14, withPad: " ", startingAt: 0)) \(item.base)/\(item.quote)  last \(item.lastPrice?.description ?? "–")  24h volume \(volume) \(item.quote)"
                )
            }
            if chosen.isEmpty { Terminal.note("no instrument matches") }
        }
    }
}

/// `petrel account …`: signed reads of a venue account.
struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account", abstract: "Read a venue account with your API key.", subcommands: [Balances.self])

    struct Balances: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The account's balances per asset (a signed read; the key needs no trading permission).",
            discussion: """
                The key and secret (Uphold: the personal access token) are read from the environment variables you
                name, never from the command line. Uphold lists one line per card: available is free, the rest of
                the card's balance locked.
                """)

        @OptionGroup var venue: VenueOptions
        @Option(help: "The environment variable holding the API key.") var apiKeyEnv: String?
        @Option(help: "The environment variable holding the API secret.") var apiSecretEnv: String?
        @Option(help: "The environment variable holding the API passphrase (OKX).") var apiPassphraseEnv: String?
        @Option(help: "The environment variable holding the personal access token (Uphold).") var tokenEnv: String?

        func validate() throws {
            if venue.venue == "yahoo" {
                throw ValidationError("--venue yahoo has no accounts; allowed: binance, okx, uphold")
            }
            if venue.venue == "uphold" {
                guard tokenEnv != nil else {
                    throw ValidationError("--venue uphold needs --token-env (a personal access token)")
                }
                guard apiKeyEnv == nil, apiSecretEnv == nil, apiPassphraseEnv == nil else {
                    throw ValidationError("--venue uphold takes --token-env only, not API keys")
                }
                return
            }
            if tokenEnv != nil { throw ValidationError("--token-env is only for --venue uphold") }
            guard apiKeyEnv != nil, apiSecretEnv != nil else {
                throw ValidationError("--venue \(venue.venue) needs --api-key-env and --api-secret-env")
            }
            if venue.venue == "okx", apiPassphraseEnv == nil {
                throw ValidationError("--venue okx needs --api-passphrase-env (OKX keys have a passphrase)")
            }
            if venue.venue != "okx", apiPassphraseEnv != nil {
                throw ValidationError("--api-passphrase-env is only for --venue okx")
            }
        }

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            if let tokenEnv { return try await upholdCards(token: try Self.value(of: tokenEnv, option: "--token-env")) }
            var values: [String] = []
            var names = [("--api-key-env", apiKeyEnv ?? ""), ("--api-secret-env", apiSecretEnv ?? "")]
            if let apiPassphraseEnv { names.append(("--api-passphrase-env", apiPassphraseEnv)) }
            for (option, name) in names {
                guard let value = environment[name], !value.isEmpty else {
                    throw CLIError("\(option): environment variable \(name) is not set or empty")
                }
                values.append(value)
            }
            let balances: [String: PortfolioLedger.Balance]
            do {
                if venue.venue == "okx" {
                    balances = try await venue.okx(
                        credentials: OKXCredentials(apiKey: values[0], secret: values[1], passphrase: values[2])
                    ).balances()
                } else {
                    balances = try await venue.binance(
                        credentials: VenueCredentials(apiKey: values[0], secret: values[1])
                    )
                    .balances()
                }
            } catch {
                throw CLIError("\(venue.venue): \(error)")
            }
            if balances.isEmpty { Terminal.line("no balances") }
            for (asset, balance) in balances.sorted(by: { $0.key < $1.key }) {
                Terminal.line(
                    "\(asset.padding(toLength: 8, withPad: " ", startingAt: 0)) free \(balance.free)  locked \(balance.locked)  total \(balance.total)"
                )
            }
        }

        /// The variable's value.
        /// - Throws: ``CLIError`` naming the option and the variable when it is unset or empty.
        static func value(of name: String, option: String) throws -> String {
            guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
                throw CLIError("\(option): environment variable \(name) is not set or empty")
            }
            return value
        }

        /// One line per Uphold card, by currency then label.
        func upholdCards(token: String) async throws {
            let cards: [UpholdClient.Card]
            do {
                cards = try await UpholdClient(baseURL: venue.baseURL ?? UpholdClient.liveURL, token: token).cards()
            } catch {
                throw CLIError("uphold: \(error)")
            }
            if cards.isEmpty { Terminal.line("no cards") }
            for card in cards.sorted(by: { ($0.currency, $0.label, $0.id) < ($1.currency, $1.label, $1.id) }) {
                Terminal.line(
                    "\(card.currency.padding(toLength: 8, withPad: " ", startingAt: 0)) free \(card.available)  locked \(card.balance - card.available)  total \(card.balance)  card \(card.label) (\(card.id))"
                )
            }
        }
    }
}
