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
    }

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
