import Hummingbird
import PetrelPersistence

/// Requires `Authorization: Bearer <access token>` and puts the caller's identity in the context. Tokens of
/// users disabled or deleted since they were issued are refused.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let tokens: TokenService
    let users: UserDirectory

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response)
        async throws -> Response
    {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("send 'Authorization: Bearer <access token>' (POST /api/v1/auth/login)")
        }
        guard header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw APIError.unauthorized("the Authorization header must be 'Bearer <access token>'")
        }
        let identity: TokenService.Identity
        do {
            identity = try await tokens.verifyAccess(String(header.dropFirst(7)))
        } catch {
            throw APIError.unauthorized(error.description)
        }
        guard users.isActive(identity.userID) else {
            throw APIError.unauthorized("the user of this token is disabled or deleted; log in again")
        }
        var context = context
        context.identity = identity
        return try await next(request, context)
    }
}

extension ServerContext {
    /// The caller, who must have at least `role`.
    /// - Throws: ``APIError`` 401 without an identity, 403 with a lower role.
    func require(_ role: UserRole) throws -> TokenService.Identity {
        let identity = try requireIdentity()
        guard identity.role >= role else {
            throw APIError.forbidden("this needs the \(role.rawValue) role; you are \(identity.role.rawValue)")
        }
        return identity
    }
}
