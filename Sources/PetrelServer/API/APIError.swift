import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The API's one error shape, `{"error":{"code":"…","message":"…","field":"…"}}`, with its status.
public struct APIError: HTTPResponseError, Sendable, Equatable {
    public var status: HTTPResponse.Status
    /// A stable, machine-readable code (`invalid_field`, `not_found`, `forbidden`, …).
    public var code: String
    public var message: String
    /// The field at fault (a JSON path for config problems), if one is.
    public var field: String?
    /// Every problem, when there are several (config validation).
    public var details: [Detail]
    /// Seconds to wait (429, 503).
    public var retryAfter: Int?

    /// One of several problems.
    public struct Detail: Sendable, Equatable, Codable {
        public var field: String
        public var message: String
    }

    public init(
        _ status: HTTPResponse.Status, code: String, message: String, field: String? = nil, details: [Detail] = [],
        retryAfter: Int? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.details = details
        self.retryAfter = retryAfter
    }

    public static func badRequest(_ message: String, field: String? = nil) -> APIError {
        APIError(.badRequest, code: "invalid_field", message: message, field: field)
    }

    public static func unauthorized(_ message: String) -> APIError {
        APIError(.unauthorized, code: "unauthorized", message: message)
    }

    public static func forbidden(_ message: String) -> APIError {
        APIError(.forbidden, code: "forbidden", message: message)
    }

    public static func notFound(_ message: String) -> APIError {
        APIError(.notFound, code: "not_found", message: message)
    }

    public static func conflict(_ message: String, field: String? = nil) -> APIError {
        APIError(.conflict, code: "conflict", message: message, field: field)
    }

    /// The JSON body.
    public var body: Data {
        var error: [String: Any] = ["code": code, "message": message]
        if let field { error["field"] = field }
        if !details.isEmpty { error["details"] = details.map { ["field": $0.field, "message": $0.message] } }
        return
            (try? JSONSerialization.data(
                withJSONObject: ["error": error], options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
