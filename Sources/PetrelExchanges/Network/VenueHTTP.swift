import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import PetrelRuntime

/// One HTTP request to a venue: the path, the query and the body exactly as they are sent (a signature
/// covers these bytes, so nothing re-encodes them on the way).
public struct VenueRequest: Sendable {
    public var method: String
    /// Starts with `/`.
    public var path: String
    /// The raw query string, without `?` (empty for none).
    public var query: String
    /// The raw body, if any.
    public var body: String?
    public var headers: [(String, String)]

    public init(method: String, path: String, query: String = "", body: String? = nil, headers: [(String, String)] = [])
    {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.headers = headers
    }
}

/// A venue's answer.
public struct VenueResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: Data

    /// The first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    /// The body as text (for messages; cut at 300 characters).
    public var excerpt: String {
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        return body.count > 300 ? text + "…" : text
    }
}

/// Why a request got no answer.
public enum VenueTransportError: Error, Sendable, CustomStringConvertible {
    /// The request never left: no connection could be made. Safe to send again.
    case notSent(String)
    /// The request may have reached the venue, but no (complete) answer came back.
    case noAnswer(String)

    public var description: String {
        switch self {
        case .notSent(let why): return "not sent: \(why)"
        case .noAnswer(let why): return "no answer: \(why)"
        }
    }
}

/// The HTTP transport every venue adapter shares: one connection pool for the process, a deadline per
/// request, and transport failures split into "never sent" and "maybe executed" (DESIGN §6).
public struct VenueHTTP: Sendable {
    /// The process's venue HTTP client (its connection pool lives as long as the process).
    static let shared = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    /// The pool for loopback gateways with a self-signed certificate (IBKR's Client Portal gateway):
    /// certificate verification is off, so it is only ever used for `localhost`, `127.0.0.0/8` and `::1`.
    static let loopbackUnverified: HTTPClient = {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        return HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(tlsConfiguration: tls, redirectConfiguration: .disallow))
    }()

    /// How long a request may take, connection included.
    public var timeoutSeconds: Int64
    /// Added to every request (`User-Agent`).
    public var userAgent = "Petrel"
    /// Whether a self-signed certificate is accepted from a gateway on this machine. Only an `https`
    /// base URL whose host is `localhost`, an address in `127.0.0.0/8` or `::1` skips verification;
    /// every other host is verified as usual, whatever this says.
    public var allowsSelfSignedLoopbackCertificates: Bool

    /// - Parameters:
    ///   - timeoutSeconds: the deadline of each request, connection included.
    ///   - allowsSelfSignedLoopbackCertificates: accept a self-signed certificate from a loopback host
    ///     (a local gateway such as IBKR's); other hosts are always verified.
    public init(timeoutSeconds: Int64 = 10, allowsSelfSignedLoopbackCertificates: Bool = false) {
        self.timeoutSeconds = timeoutSeconds
        self.allowsSelfSignedLoopbackCertificates = allowsSelfSignedLoopbackCertificates
    }

    /// Whether requests to `baseURL` go out without certificate verification: only when self-signed
    /// loopback certificates are allowed and the URL is `https` to `localhost`, `127.0.0.0/8` or `::1`.
    public func skipsCertificateVerification(for baseURL: String) -> Bool {
        guard allowsSelfSignedLoopbackCertificates, let url = URL(string: baseURL), url.scheme?.lowercased() == "https",
            let host = url.host?.lowercased()
        else { return false }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare == "localhost" || bare == "::1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// Sends `request` to `baseURL` (scheme, host, port and an optional path prefix such as `/api`).
    /// - Throws: ``VenueTransportError``; messages name the host and the path, never a header value.
    public func send(_ request: VenueRequest, to baseURL: String) async throws(VenueTransportError) -> VenueResponse {
        let url = baseURL + request.path + (request.query.isEmpty ? "" : "?" + request.query)
        var outgoing = HTTPClientRequest(url: url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        outgoing.headers.add(name: "User-Agent", value: userAgent)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body {
            outgoing.body = .bytes(ByteBuffer(string: body))
        }
        let what = "\(request.method) \(baseURL)\(request.path)"
        let response: HTTPClientResponse
        do {
            let client = skipsCertificateVerification(for: baseURL) ? Self.loopbackUnverified : Self.shared
            response = try await client.execute(outgoing, timeout: .seconds(timeoutSeconds))
        } catch {
            throw Self.classify(error, what)
        }
        do {
            let bytes = try await response.body.collect(upTo: 16 << 20)
            return VenueResponse(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                body: Data(bytes.readableBytesView))
        } catch {
            throw .noAnswer("\(what): the answer broke off (\(error))")
        }
    }

    /// Sends `request` and turns a transport failure into the ``ExecutionError`` it means for the caller:
    /// never sent → retryable; sent but unanswered → an unknown outcome when the request `changes`
    /// something (an order may exist), else retryable. Messages pass through `redaction`.
    public func send(_ request: VenueRequest, to baseURL: String, changes: Bool, redaction: Redaction)
        async throws(ExecutionError) -> VenueResponse
    {
        do {
            return try await send(request, to: baseURL)
        } catch {
            switch error {
            case .notSent(let why): throw .retryable(redaction.apply(why))
            case .noAnswer(let why):
                throw changes ? .unknownOutcome(redaction.apply(why)) : .retryable(redaction.apply(why))
            }
        }
    }

    /// A failure before any byte was sent is ``VenueTransportError/notSent(_:)``; anything later may have
    /// reached the venue.
    static func classify(_ error: any Error, _ what: String) -> VenueTransportError {
        if let client = error as? HTTPClientError {
            let beforeSending: [HTTPClientError] = [.connectTimeout, .invalidURL, .emptyHost, .tlsHandshakeTimeout]
            return beforeSending.contains(client) ? .notSent("\(what): \(client)") : .noAnswer("\(what): \(client)")
        }
        if error is NIOConnectionError || error is ChannelError {
            return .notSent("\(what): cannot connect (\(error))")
        }
        if let io = error as? IOError, [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(io.errnoCode) {
            return .notSent("\(what): cannot connect (\(io))")
        }
        return .noAnswer("\(what): \(error)")
    }
}
