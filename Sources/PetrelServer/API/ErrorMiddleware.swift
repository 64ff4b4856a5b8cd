import Foundation
import Hummingbird
import Logging
import PetrelRuntime

/// Turns every error a route throws into the API's one error shape (``APIError``): bad input is a 4xx with
/// the field at fault, a database failure a 503, anything unexpected a 500 that is logged (never its
/// details to the client).
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let apiError = Self.map(error)
            if apiError.status.code >= 500 {
                context.logger.error(
                    "request failed",
                    metadata: [
                        "path": .string(request.uri.path), "error": .string(SecretRedactor.shared.redact("\(error)")),
                    ])
            }
            return try apiError.response(from: request, context: context)
        }
    }

    /// The API error for any error.
    static func map(_ error: any Error) -> APIError {
        switch error {
        case let api as APIError:
            return api
        case let fleet as FleetError:
            switch fleet {
            case .notFound: return .notFound(fleet.description)
            case .conflict(let why): return .conflict(why)
            case .invalid(let setup): return invalid(setup)
            case .storage(let storage): return unavailable(storage)
            }
        case let setup as BotSetupError:
            return invalid(setup)
        case let storage as StorageError:
            switch storage {
            case .notFound(let what): return .notFound("not found: \(what)")
            case .conflict(let why): return .conflict(why)
            case .storage: return unavailable(storage)
            }
        case let decoding as DecodingError:
            return decodingError(decoding)
        case let http as HTTPError:
            return APIError(
                http.status, code: code(for: http.status.code),
                message: http.body ?? http.status.reasonPhrase.lowercased())
        case let response as any HTTPResponseError:
            let status = response.status
            let message =
                status == .contentTooLarge
                ? "the request body is larger than \(ServerContext.bodyLimit) bytes" : status.reasonPhrase.lowercased()
            return APIError(status, code: code(for: status.code), message: message)
        default:
            return APIError(.internalServerError, code: "internal", message: "internal error; see the server log")
        }
    }

    static func invalid(_ setup: BotSetupError) -> APIError {
        APIError(
            .badRequest, code: setup.issues.isEmpty ? "invalid_field" : "invalid_config",
            message: setup.issues.first.map { "\($0.path): \($0.message)" } ?? setup.description, field: setup.field,
            details: setup.issues.map { APIError.Detail(field: $0.path, message: $0.message) })
    }

    static func unavailable(_ error: StorageError) -> APIError {
        APIError(
            .serviceUnavailable, code: "storage_unavailable", message: "the database failed: \(error)", retryAfter: 1)
    }

    static func decodingError(_ error: DecodingError) -> APIError {
        func path(_ codingPath: [any CodingKey], _ key: (any CodingKey)? = nil) -> String {
            var text = "$"
            for item in codingPath + (key.map { [$0] } ?? []) {
                if let index = item.intValue { text += "[\(index)]" } else { text += ".\(item.stringValue)" }
            }
            return text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .badRequest("\(path(context.codingPath, key)) is required", field: path(context.codingPath, key))
        case .typeMismatch(let type, let context):
            return .badRequest(
                "\(path(context.codingPath)) must be \(describe(type))", field: path(context.codingPath))
        case .valueNotFound(let type, let context):
            return .badRequest(
                "\(path(context.codingPath)) must be \(describe(type)), not null", field: path(context.codingPath))
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return .badRequest("the body is not valid JSON") }
            return .badRequest(
                "\(path(context.codingPath)): \(context.debugDescription)", field: path(context.codingPath))
        @unknown default:
            return .badRequest("the body could not be read")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Int64.Type: return "an integer"
        case is Double.Type: return "a number"
        default: return "a \(type)"
        }
    }

    static func code(for status: Int) -> String {
        switch status {
        case 400: return "bad_request"
        case 401: return "unauthorized"
        case 403: return "forbidden"
        case 404: return "not_found"
        case 405: return "method_not_allowed"
        case 409: return "conflict"
        case 413: return "body_too_large"
        case 415: return "unsupported_media_type"
        case 429: return "rate_limited"
        case 503: return "unavailable"
        default: return status >= 500 ? "internal" : "bad_request"
        }
    }
}

extension Request {
    /// The body decoded from JSON (at most ``ServerContext/bodyLimit`` bytes).
    /// - Throws: ``APIError`` 400 naming the field at fault, 413 for a body over the limit, 415 for another
    ///   content type.
    func json<Value: Decodable>(_ type: Value.Type, context: some RequestContext) async throws -> Value {
        if let contentType = headers[.contentType], !contentType.lowercased().hasPrefix("application/json") {
            throw APIError(
                .unsupportedMediaType, code: "unsupported_media_type",
                message: "send the body as application/json, not \(contentType)")
        }
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { throw APIError.badRequest("a JSON body is required") }
        do {
            return try JSONDecoder().decode(Value.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw ErrorMiddleware<BasicRequestContext>.decodingError(error)
        }
    }

    /// An integer query parameter, `fallback` when absent.
    /// - Throws: ``APIError`` 400 naming the parameter and the range.
    func queryInteger(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = uri.queryParameters.get(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.badRequest(
                "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)", field: name)
        }
        return value
    }

    /// The raw body bytes (at most ``ServerContext/bodyLimit``).
    func bytes(context: some RequestContext) async throws -> Data {
        Data(try await body.collect(upTo: context.maxUploadSize).readableBytesView)
    }
}
