import Foundation
import Hummingbird
import NIOCore

/// Turns every error into OpenAI's error JSON with the right status, and checks the API key on every path but
/// `/health`, `/ping`, `/version`, `/metrics` and `/status`.
struct OpenAIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let apiKey: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            if let apiKey, Self.needsKey(request.uri.path) {
                guard let header = request.headers[.authorization] else { throw OpenAIError.missingAPIKey }
                guard header == "Bearer \(apiKey)" else { throw OpenAIError.invalidAPIKey }
            }
            return try await next(request, context)
        } catch let error as OpenAIError {
            return Self.response(error)
        } catch let error as HTTPError {
            switch error.status {
            case .notFound: return Self.response(.unknownPath(request.method.rawValue, request.uri.path))
            case .methodNotAllowed: return Self.response(.methodNotAllowed(request.method.rawValue, request.uri.path))
            default: return Self.response(OpenAIError(error.status, error.body ?? error.status.reasonPhrase, type: error.status.code >= 500 ? "server_error" : "invalid_request_error"))
            }
        } catch {
            return Self.response(OpenAIError(.internalServerError, "Internal error: \(error)", type: "server_error"))
        }
    }

    /// Whether `path` is guarded by the key: all but the public endpoints, however the path is spelled (`//v1/…`).
    static func needsKey(_ path: String) -> Bool {
        let first = path.split(separator: "/").first.flatMap { String($0).removingPercentEncoding }
        return !["health", "metrics", "status", "ping", "version"].contains(first ?? "")
    }

    static func response(_ error: OpenAIError) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(error.body)) ?? Data("{}".utf8)
        var headers: HTTPFields = [.contentType: "application/json"]
        if let seconds = error.retryAfterSeconds { headers[.retryAfter] = String(seconds) }
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
