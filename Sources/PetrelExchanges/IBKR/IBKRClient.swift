import Foundation
import PetrelCore
import PetrelRuntime
import Synchronization

/// Interactive Brokers' Client Portal gateway (EXCHANGE-APIS.md §7): the session, accounts, stock
/// contract lookup and market-data snapshots here; orders, trades and balances in `IBKRClient+Orders`.
///
/// - The gateway runs on this machine (`https://localhost:5000/v1/api`) and holds the session: a person
///   logs in once in a browser, so this client carries no credentials. Its certificate is self-signed;
///   the default transport accepts that for loopback hosts only (``VenueHTTP/allowsSelfSignedLoopbackCertificates``).
/// - `GET /iserver/accounts` must be called before market data and orders: it is, once, on first need,
///   and again when the gateway says it lost track.
/// - HTTP 401 is fatal (log in at the gateway); 429 pauses every client of the host for its `Retry-After`,
///   or ``rateLimitPauseMilliseconds`` (IBKR sends none); 5xx and lost answers are unknown outcomes for
///   requests that change something, retryable for reads.
public final class IBKRClient: Sendable {
    /// The local gateway's API root.
    public static let gatewayURL = "https://localhost:5000/v1/api"

    /// The API root (`…/v1/api`).
    public let baseURL: String
    /// The account asked for in the configuration (`nil`: the gateway's first account).
    public let configuredAccount: String?
    /// How long a 429 without `Retry-After` silences the host (ms).
    public let rateLimitPauseMilliseconds: Int64
    /// How many snapshot requests may be made for one answer with prices (the first only subscribes).
    public let snapshotAttempts: Int
    /// The waits between those requests.
    public let snapshotBackoff: Backoff
    /// How many order-warning confirmations one order may need before it is given up.
    public let maxConfirmations: Int
    let http: VenueHTTP
    let gate: VenueRateGate
    let now: @Sendable () -> Int64

    struct State {
        var accounts: [String]?
        var portfolioAccountsRead = false
        var conids: [String: Int64] = [:]
    }

    let state = Mutex(State())

    /// - Parameters:
    ///   - baseURL: the gateway's API root; tests use `http://127.0.0.1:PORT/v1/api`.
    ///   - account: the account to trade (`nil`: the first the gateway lists).
    ///   - conids: known contract ids by ticker, used instead of a search.
    ///   - http: the transport; by default one that accepts the gateway's self-signed certificate on
    ///     loopback hosts only.
    public init(
        baseURL: String = gatewayURL, account: String? = nil, conids: [String: Int64] = [:],
        http: VenueHTTP = VenueHTTP(allowsSelfSignedLoopbackCertificates: true),
        rateLimitPauseMilliseconds: Int64 = 15_000, snapshotAttempts: Int = 6,
        snapshotBackoff: Backoff = Backoff(initial: 250, maximum: 2_000, jitter: 0.2), maxConfirmations: Int = 5,
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000) }
    ) {
        self.baseURL = VenueRateGate.trimmed(baseURL)
        configuredAccount = account
        self.http = http
        self.rateLimitPauseMilliseconds = rateLimitPauseMilliseconds
        self.snapshotAttempts = max(1, snapshotAttempts)
        self.snapshotBackoff = snapshotBackoff
        self.maxConfirmations = max(0, maxConfirmations)
        self.now = now
        gate = VenueRateGate.shared(baseURL: self.baseURL)
        state.withLock { $0.conids = Dictionary(uniqueKeysWithValues: conids.map { ($0.key.uppercased(), $0.value) }) }
    }

    /// Where a person logs in: the gateway's root page.
    public var loginURL: String {
        guard let url = URL(string: baseURL), let scheme = url.scheme, let host = url.host else { return baseURL }
        return "\(scheme)://\(host)\(url.port.map { ":\($0)" } ?? "")"
    }

    // MARK: Session

    /// The brokerage session as `GET /iserver/auth/status` reports it.
    public struct AuthStatus: Sendable, Hashable {
        public var authenticated: Bool
        public var connected: Bool
        /// Another session (TWS, a second login) holds the username.
        public var competing: Bool
        public var message: String
    }

    /// `GET /iserver/auth/status`.
    /// - Throws: ``ExecutionError/fatal(_:)`` when the gateway has no session at all (HTTP 401).
    public func authStatus() async throws(ExecutionError) -> AuthStatus {
        guard case .object(let status) = try await send("GET", "/iserver/auth/status") else {
            throw .retryable("ibkr auth status: expected a JSON object")
        }
        return AuthStatus(
            authenticated: IBKRDecoding.bool(status["authenticated"]) ?? false,
            connected: IBKRDecoding.bool(status["connected"]) ?? false,
            competing: IBKRDecoding.bool(status["competing"]) ?? false,
            message: IBKRDecoding.text(status["message"]) ?? "")
    }

    /// Checks that the brokerage session can trade.
    /// - Throws: ``ExecutionError/fatal(_:)`` telling the person to log in at the gateway when it is not
    ///   authenticated or not connected, or to close the other session when one competes.
    public func ensureAuthenticated() async throws(ExecutionError) {
        let status = try await authStatus()
        let said = status.message.isEmpty ? "" : " (gateway: \(status.message))"
        guard status.authenticated, status.connected else {
            throw .fatal(
                "ibkr: the gateway's brokerage session is not authenticated\(said); log in at \(loginURL) in a browser, then try again"
            )
        }
        if status.competing {
            throw .fatal("ibkr: another session (TWS or a second login) competes for this username\(said); close it")
        }
    }

    /// `POST /tickle`: keeps the gateway's session alive (it ends after a few idle minutes).
    public func tickle() async throws(ExecutionError) {
        _ = try await send("POST", "/tickle", body: "")
    }

    // MARK: Accounts

    /// `GET /iserver/accounts`: the accounts the session may trade. The gateway wants this call before
    /// market data and orders; it is remembered.
    public func accounts() async throws(ExecutionError) -> [String] {
        guard case .object(let answer) = try await send("GET", "/iserver/accounts") else {
            throw .retryable("ibkr accounts: expected a JSON object")
        }
        let accounts = IBKRDecoding.array(answer["accounts"]).compactMap { IBKRDecoding.text($0) }
        state.withLock { $0.accounts = accounts }
        return accounts
    }

    /// The account orders go to: the configured one, else the first listed. Reads the list once.
    /// - Throws: ``ExecutionError/fatal(_:)`` when the gateway lists none or not the configured one.
    public func account() async throws(ExecutionError) -> String {
        let known = state.withLock { $0.accounts }
        let accounts: [String]
        if let known { accounts = known } else { accounts = try await self.accounts() }
        if let configuredAccount {
            guard accounts.contains(configuredAccount) else {
                throw .fatal(
                    "ibkr: account '\(configuredAccount)' is not among the gateway's accounts \(accounts); check the configuration"
                )
            }
            return configuredAccount
        }
        guard let first = accounts.first else { throw .fatal("ibkr: the gateway lists no account for this login") }
        return first
    }

    // MARK: Contracts and market data

    /// The stock contract id of `ticker` (`GET /iserver/secdef/search?symbol=`), remembered: the first
    /// result whose symbol is the ticker and whose sections include `STK`.
    /// - Throws: ``ExecutionError/fatal(_:)`` naming the ticker when IBKR has no such stock.
    public func conid(for ticker: String) async throws(ExecutionError) -> Int64 {
        let ticker = ticker.uppercased()
        if let known = state.withLock({ $0.conids[ticker] }) { return known }
        let query = "symbol=" + (ticker.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ticker)
        let answer: JSONValue
        do {
            answer = try await send("GET", "/iserver/secdef/search", query: query)
        } catch {
            if case .rejected(let why) = error {
                throw .fatal("ibkr: no stock contract for symbol '\(ticker)' (\(why))")
            }
            throw error
        }
        for case .object(let entry) in IBKRDecoding.array(answer) {
            let sections = IBKRDecoding.array(entry["sections"]).compactMap { $0.objectValue?["secType"] }
            guard IBKRDecoding.text(entry["symbol"])?.uppercased() == ticker,
                sections.contains(.string("STK")), let conid = IBKRDecoding.integer(entry["conid"])
            else { continue }
            state.withLock { $0.conids[ticker] = conid }
            return conid
        }
        let said = IBKRDecoding.errorText(answer).map { " (gateway: \($0))" } ?? ""
        throw .fatal("ibkr: no stock contract for symbol '\(ticker)'\(said)")
    }

    /// One instrument's prices from a snapshot.
    public struct Snapshot: Sendable, Hashable {
        public var conid: Int64
        /// Field 55.
        public var symbol: String?
        /// Field 31, without its prefix letter.
        public var last: Price?
        /// Field 84.
        public var bid: Price?
        /// Field 86.
        public var ask: Price?
        /// The last price carried `C`: it is the previous close (no trade yet today).
        public var lastIsPreviousClose: Bool
        /// A price carried `H`: trading is halted.
        public var halted: Bool
        /// `_updated` (Unix ms), when given.
        public var updated: Int64?
    }

    /// Last, bid and ask of `conid` (`GET /iserver/marketdata/snapshot?conids=&fields=31,55,84,86`).
    ///
    /// The first request for a conid only starts the subscription and answers without prices, so the
    /// snapshot is asked again after a short, capped back-off until last, bid and ask are all there, at
    /// most ``snapshotAttempts`` times. If only some came by then, those are returned.
    /// - Throws: ``ExecutionError/retryable(_:)`` when no price came at all.
    public func snapshot(conid: Int64) async throws(ExecutionError) -> Snapshot {
        var partial: Snapshot?
        for attempt in 1...snapshotAttempts {
            let answer = try await send(
                "GET", "/iserver/marketdata/snapshot", query: "conids=\(conid)&fields=31,55,84,86", needsAccounts: true)
            for case .object(let entry) in IBKRDecoding.array(answer)
            where IBKRDecoding.integer(entry["conid"]) == conid {
                let last = IBKRDecoding.snapshotPrice(entry["31"])
                let bid = IBKRDecoding.snapshotPrice(entry["84"])
                let ask = IBKRDecoding.snapshotPrice(entry["86"])
                let marks = [last?.mark, bid?.mark, ask?.mark].compactMap { $0 }
                let snapshot = Snapshot(
                    conid: conid, symbol: IBKRDecoding.text(entry["55"]), last: last?.price, bid: bid?.price,
                    ask: ask?.price, lastIsPreviousClose: last?.mark == "C", halted: marks.contains("H"),
                    updated: IBKRDecoding.integer(entry["_updated"]))
                if last != nil, bid != nil, ask != nil { return snapshot }
                if last != nil || bid != nil || ask != nil { partial = snapshot }
            }
            if attempt < snapshotAttempts {
                try? await Task.sleep(for: .milliseconds(snapshotBackoff.delay(attempt: attempt)))
            }
        }
        if let partial { return partial }
        throw .retryable(
            "ibkr snapshot of conid \(conid): no prices after \(snapshotAttempts) requests (the first only subscribes; is there a market-data subscription for it?)"
        )
    }

    // MARK: Transport

    /// Sends one request and classifies the answer.
    /// - Parameters:
    ///   - changes: whether the request may change something (an order): lost answers and 5xx are then
    ///     unknown outcomes.
    ///   - needsAccounts: `GET /iserver/accounts` must have been called first; when the gateway answers a
    ///     4xx naming the accounts (or "no bridge"), they are read again and the request is sent once more.
    /// - Returns: the JSON answer of a 2xx.
    func send(
        _ method: String, _ path: String, query: String = "", body: String? = nil, changes: Bool = false,
        needsAccounts: Bool = false
    ) async throws(ExecutionError) -> JSONValue {
        if needsAccounts, state.withLock({ $0.accounts == nil }) { _ = try await accounts() }
        do {
            return try await sendOnce(method, path, query: query, body: body, changes: changes)
        } catch {
            guard needsAccounts, case .rejected(let why) = error,
                why.localizedCaseInsensitiveContains("accounts") || why.localizedCaseInsensitiveContains("no bridge")
            else { throw error }
            _ = try await accounts()
            return try await sendOnce(method, path, query: query, body: body, changes: changes)
        }
    }

    func sendOnce(_ method: String, _ path: String, query: String, body: String?, changes: Bool)
        async throws(ExecutionError) -> JSONValue
    {
        let what = "\(method) \(path)"
        let (wait, _) = gate.wait(now: now())
        if wait > 0 {
            throw .rateLimited(
                retryAfterMilliseconds: wait,
                "ibkr \(what): the gateway asked to slow down; nothing is sent for \(wait) ms")
        }
        var headers: [(String, String)] = [("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let response = try await http.send(
            VenueRequest(method: method, path: path, query: query, body: body, headers: headers), to: baseURL,
            changes: changes, redaction: Redaction([]))
        let parsed = try? JSONValue.parse(response.body)
        let said = IBKRDecoding.errorText(parsed) ?? response.excerpt
        switch response.status {
        case 200..<300:
            return try IBKRDecoding.json(response.body, what, changes: changes)
        case 401:
            throw .fatal(
                "ibkr \(what): the gateway is not authenticated (HTTP 401); log in at \(loginURL) in a browser, then try again"
            )
        case 429:
            let pause =
                response.header("Retry-After").flatMap(Int64.init).map { $0 * 1_000 } ?? rateLimitPauseMilliseconds
            gate.pause(now: now(), retryAfter: pause)
            throw .rateLimited(
                retryAfterMilliseconds: pause, "ibkr \(what): HTTP 429 (the gateway allows about 10 requests a second)")
        case 500...:
            let why = "ibkr \(what): HTTP \(response.status): \(said)"
            throw changes ? .unknownOutcome(why) : .retryable(why)
        default:
            throw .rejected("ibkr \(what): HTTP \(response.status): \(said)")
        }
    }
}
