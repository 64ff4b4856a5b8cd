import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PetrelPersistence

/// `GET /metrics`: Prometheus text. Needs an administrator's access token or the scrape token in
/// `PETREL_METRICS_TOKEN` (a scraper cannot log in every 15 minutes).
struct MetricsController: Sendable {
    let services: ServerServices

    @Sendable func metrics(_ request: Request, context: ServerContext) async throws -> Response {
        try await authorize(request)
        let bytes = await services.metrics.exposition(services: services)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func authorize(_ request: Request) async throws {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw APIError.unauthorized("send 'Authorization: Bearer <PETREL_METRICS_TOKEN or an admin access token>'")
        }
        let token = String(header.dropFirst(7))
        if let scrape = services.metricsToken, Self.constantTimeEqual(Array(token.utf8), scrape) { return }
        let identity: TokenService.Identity
        do {
            identity = try await services.tokens.verifyAccess(token)
        } catch {
            throw APIError.unauthorized(error.description)
        }
        guard services.users.isActive(identity.userID) else { throw APIError.unauthorized("the user is disabled") }
        guard identity.role == .admin else {
            throw APIError.forbidden("/metrics needs the admin role or the scrape token")
        }
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
