import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The HTTP routes of `petrel serve` and the middleware around them.
public enum ServerRouter {
    /// Every route: `/ws/bot/status/` (see ``WebSocketController``), `/health` and the login and refresh routes are public, everything else under `/api/v1`
    /// needs an access token. Security headers, CORS and the per-address limit wrap everything; errors
    /// leave in the API's one shape.
    public static func make(_ services: ServerServices) -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        router.add(
            middleware: SecurityHeadersMiddleware(
                allowedOrigins: services.allowedOrigins, limiter: services.requestLimiter, clock: services.clock))
        router.add(middleware: RequestMetricsMiddleware(metrics: services.metrics))
        router.add(middleware: ErrorMiddleware<ServerContext>())
        let health = HealthController(services: services)
        router.get("health", use: health.health)
        router.get("metrics", use: MetricsController(services: services).metrics)
        DashboardController().addRoutes(to: router)

        let auth = AuthController(services: services)
        auth.addPublicRoutes(to: router.group("api/v1/auth"))

        let api = router.group("api/v1").add(
            middleware: AuthMiddleware(tokens: services.tokens, users: services.users))
        auth.addRoutes(to: api.group("auth"))
        UsersController(services: services).addRoutes(to: api.group("users"))
        BotsController(services: services).addRoutes(to: api.group("bots"))
        api.get("strategies", use: StrategiesController().list)
        PortfolioController(services: services).addRoutes(to: api)
        AnalyticsController(services: services).addRoutes(to: api.group("analytics"))
        BacktestsController(services: services).addRoutes(to: api.group("analytics"))
        TradingController(services: services).addRoutes(to: api.group("trading"))
        SymbolsController(services: services).addRoutes(to: api.group("symbols"))
        ExchangeAccountsController(services: services).addRoutes(to: api.group("exchange-accounts"))
        NotificationSettingsController(services: services).addRoutes(to: api.group("settings/notifications"))
        WebSocketController(services: services).addRoutes(to: router, api: api)
        DashboardRoutesController(services: services).addRoutes(
            to: router.group("api").add(middleware: AuthMiddleware(tokens: services.tokens, users: services.users)))
        return router
    }

    /// The application: HTTP/1.1 with the WebSocket upgrade on the same router.
    public static func application(
        _ services: ServerServices, host: String, port: Int,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = make(services)
        return Application(
            router: router,
            server: .http1WebSocketUpgrade(
                webSocketRouter: router,
                configuration: HTTP1WebSocketUpgradeChannel.Configuration(
                    ws: WebSocketServerConfiguration(maxFrameSize: 1 << 16))),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "petrel"),
            onServerRunning: onServerRunning, logger: services.logger)
    }
}
