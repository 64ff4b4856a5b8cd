import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The dashboard: plain HTML, CSS and JavaScript modules from the binary's resources (no build step, no
/// third-party scripts), read once at start.
struct DashboardController: Sendable {
    /// Files by path below `/assets/`, and `index.html`.
    let files: [String: (type: String, bytes: ByteBuffer)]

    init() {
        var files: [String: (String, ByteBuffer)] = [:]
        let types = [
            "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8",
            "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml", "json": "application/json",
        ]
        if let root = Bundle.module.resourceURL?.appendingPathComponent("dashboard"),
            let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        {
            for case let url as URL in walker {
                guard let type = types[url.pathExtension], let data = try? Data(contentsOf: url) else { continue }
                let relative = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
                files[relative] = (type, ByteBuffer(bytes: data))
            }
        }
        self.files = files
    }

    func addRoutes(to router: Router<ServerContext>) {
        router.get("/", use: index)
        router.get("/assets/**", use: asset)
        router.get("/docs", use: docs)
        router.get("/openapi.json", use: openAPI)
    }

    /// The API reference page (renders `/openapi.json`).
    @Sendable func docs(_ request: Request, context: ServerContext) async throws -> Response {
        try serve("docs.html", cache: "no-cache")
    }

    /// The OpenAPI 3.1 description of every route.
    @Sendable func openAPI(_ request: Request, context: ServerContext) async throws -> Response {
        guard let spec = Self.openAPIDocument else { throw APIError.notFound("the API description is missing") }
        return Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: spec))
    }

    /// `Resources/openapi.json`, read once.
    static let openAPIDocument: ByteBuffer? = Bundle.module.url(forResource: "openapi", withExtension: "json")
        .flatMap { try? Data(contentsOf: $0) }.map { ByteBuffer(bytes: $0) }

    @Sendable func index(_ request: Request, context: ServerContext) async throws -> Response {
        try serve("index.html", cache: "no-cache")
    }

    @Sendable func asset(_ request: Request, context: ServerContext) async throws -> Response {
        let path = String(request.uri.path.dropFirst("/assets/".count))
        guard !path.contains(".."), !path.isEmpty else { throw APIError.notFound("no such file") }
        return try serve(path, cache: "no-cache")
    }

    func serve(_ path: String, cache: String) throws -> Response {
        guard let file = files[path] else { throw APIError.notFound("no such file: \(path)") }
        return Response(
            status: .ok, headers: [.contentType: file.type, .cacheControl: cache],
            body: ResponseBody(byteBuffer: file.bytes))
    }
}
