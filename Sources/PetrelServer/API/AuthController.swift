import Foundation
import Hummingbird
import PetrelPersistence
import PetrelRuntime

/// `/api/v1/auth`: login (access + refresh token), refresh (rotation), logout, and who am I.
struct AuthController: Sendable {
    let services: ServerServices

    struct LoginBody: Decodable {
        var username: String
        var password: String
    }

    struct RefreshBody: Decodable {
        var refreshToken: String

        enum CodingKeys: String, CodingKey { case refreshToken = "refresh_token" }
    }

    struct TokenPair: Encodable {
        var accessToken: String
        var tokenType = "Bearer"
        var expiresIn: Int64
        var refreshToken: String
        var user: UserView
    }

    func addPublicRoutes(to group: RouterGroup<ServerContext>) {
        group.post("login", use: login)
        group.post("refresh", use: refresh)
    }

    func addRoutes(to group: RouterGroup<ServerContext>) {
        group.post("logout", use: logout)
        group.get("me", use: me)
    }

    @Sendable func login(_ request: Request, context: ServerContext) async throws -> Response {
        let body = try await request.json(LoginBody.self, context: context)
        let now = services.clock.now()
        let keys = ["ip:\(context.address)", "user:\(body.username.lowercased())"]
        for key in keys {
            if let wait = services.loginLimiter.peek(key, now: now) {
                await services.audit(
                    nil, body.username, "login_blocked", detail: "too many failed logins", address: context.address)
                throw APIError(
                    .tooManyRequests, code: "rate_limited", message: "too many failed logins; retry in \(wait) s",
                    retryAfter: wait)
            }
        }
        let user = try await services.database.users.user(named: body.username)
        let matches: Bool
        if let user {
            matches = await services.hasher.matches(body.password, hash: user.passwordHash)
        } else {
            await services.hasher.burnTimeOffloaded(body.password)
            matches = false
        }
        guard let user, !user.isDisabled, matches else {
            for key in keys { _ = services.loginLimiter.take(key, now: now) }
            await services.audit(
                user?.id, body.username, "login_failed", detail: user?.isDisabled == true ? "disabled" : "",
                address: context.address)
            throw APIError.unauthorized("wrong username or password")
        }
        services.loginLimiter.reset("user:\(body.username.lowercased())")
        let pair = try await issue(for: user, family: nil)
        await services.audit(user.id, user.username, "login", address: context.address)
        return try JSONResponse.make(pair)
    }

    @Sendable func refresh(_ request: Request, context: ServerContext) async throws -> Response {
        let body = try await request.json(RefreshBody.self, context: context)
        let next = services.tokens.newRefreshToken(user: 0, family: nil)
        let now = services.clock.now()
        guard
            let before = try await services.database.refreshTokens.rotate(
                presented: TokenService.hash(body.refreshToken), next: next.record, at: now)
        else { throw APIError.unauthorized("unknown refresh token; log in again") }
        if before.revokedAt != nil {
            await services.audit(
                before.userID, "", "refresh_reuse", detail: "a revoked refresh token was presented; session revoked",
                address: context.address)
            throw APIError.unauthorized("this refresh token was already used; the session is revoked, log in again")
        }
        guard before.expiresAt > now else { throw APIError.unauthorized("the refresh token has expired; log in again") }
        guard let user = try await services.database.users.user(id: before.userID), !user.isDisabled else {
            throw APIError.unauthorized("the user is disabled or deleted")
        }
        let access = try await services.tokens.accessToken(for: user)
        return try JSONResponse.make(
            TokenPair(
                accessToken: access.token, expiresIn: TokenService.accessLifetime / 1_000, refreshToken: next.token,
                user: UserView(user)))
    }

    @Sendable func logout(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let body = try await request.json(RefreshBody.self, context: context)
        let hash = TokenService.hash(body.refreshToken)
        if let token = try await services.database.refreshTokens.token(hash: hash), token.userID == identity.userID {
            try await services.database.refreshTokens.revokeSession(of: hash, at: services.clock.now())
        }
        await services.audit(identity.userID, identity.username, "logout", address: context.address)
        return Response(status: .noContent)
    }

    @Sendable func me(_ request: Request, context: ServerContext) async throws -> Response {
        let identity = try context.requireIdentity()
        guard let user = try await services.database.users.user(id: identity.userID) else {
            throw APIError.unauthorized("the user no longer exists")
        }
        return try JSONResponse.make(UserView(user))
    }

    func issue(for user: UserRecord, family: String?) async throws -> TokenPair {
        let access = try await services.tokens.accessToken(for: user)
        let refresh = services.tokens.newRefreshToken(user: user.id, family: family)
        try await services.database.refreshTokens.insert(refresh.record)
        return TokenPair(
            accessToken: access.token, expiresIn: TokenService.accessLifetime / 1_000, refreshToken: refresh.token,
            user: UserView(user))
    }
}

/// A user as the API shows it (never the hash).
struct UserView: Encodable {
    var id: Int64
    var username: String
    var role: String
    var disabled: Bool
    var createdAt: Int64

    init(_ user: UserRecord) {
        id = user.id
        username = user.username
        role = user.role.rawValue
        disabled = user.isDisabled
        createdAt = user.createdAt
    }
}
