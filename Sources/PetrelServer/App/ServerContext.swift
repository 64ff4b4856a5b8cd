import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// The request context of every route: the caller's identity (set by ``AuthMiddleware``), their address,
/// and the body size limit.
public struct ServerContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Who is calling; `nil` until ``AuthMiddleware`` has checked the token.
    public var identity: TokenService.Identity?
    /// The client's IP address (`unknown` when the channel has none, as in router tests).
    public let address: String
    /// Where a WebSocket upgrade leaves its handler.
    public let webSocket = WebSocketHandlerReference<ServerContext>()

    /// Request bodies larger than this are refused with 413 before they are read further.
    public static let bodyLimit = 1 << 20

    public var maxUploadSize: Int { Self.bodyLimit }

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        identity = nil
        address = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// The identity of an authenticated request.
    /// - Throws: ``APIError`` 401 when there is none (a route outside ``AuthMiddleware``).
    public func requireIdentity() throws -> TokenService.Identity {
        guard let identity else { throw APIError.unauthorized("authentication required") }
        return identity
    }
}
