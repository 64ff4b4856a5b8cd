import HTTPTypes
import Hummingbird
import PetrelRuntime

/// Security headers on every response, CORS for the configured origins only (none by default), and the
/// per-address rate limit.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    /// Origins allowed to call the API from a browser (exact match); empty: no CORS headers at all.
    let allowedOrigins: Set<String>
    /// Per client address; `nil`: no limit.
    let limiter: RateLimiter?
    let clock: any TradingClock

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response)
        async throws -> Response
    {
        let origin = request.headers[.origin]
        let allowedOrigin = origin.flatMap { allowedOrigins.contains($0) ? $0 : nil }
        var response: Response
        if request.method == .options, origin != nil {
            guard allowedOrigin != nil else {
                response = try APIError.forbidden("origin not allowed").response(from: request, context: context)
                return decorate(response, origin: nil)
            }
            response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
            response.headers[.accessControlAllowHeaders] = "Authorization, Content-Type"
            response.headers[.accessControlMaxAge] = "600"
            return decorate(response, origin: allowedOrigin)
        }
        if let limiter, let wait = limiter.take(context.address, now: clock.now()) {
            response = try APIError(
                .tooManyRequests, code: "rate_limited",
                message: "too many requests from \(context.address); retry in \(wait) s", retryAfter: wait
            ).response(from: request, context: context)
            return decorate(response, origin: allowedOrigin)
        }
        response = try await next(request, context)
        return decorate(response, origin: allowedOrigin)
    }

    static let frameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!

    func decorate(_ response: Response, origin: String?) -> Response {
        var response = response
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.frameOptions] = "DENY"
        response.headers[Self.referrerPolicy] = "no-referrer"
        // A route may set a stricter policy of its own (the script-free backtest report).
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] =
                "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"
        }
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if let origin {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.vary] = "Origin"
        }
        return response
    }
}
