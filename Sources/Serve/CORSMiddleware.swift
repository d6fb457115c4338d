import Hummingbird
import NIOCore

/// Cross-origin requests from browsers, as Starlette's `CORSMiddleware` in vLLM answers them: preflight `OPTIONS`
/// (with `Origin` and `Access-Control-Request-Method`) gets 200 and the allowed methods and headers, every response
/// to an allowed origin names it in `Access-Control-Allow-Origin`; a preflight from another origin gets a 400.
struct CORSMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Origins allowed, or `*`.
    let allowedOrigins: [String]

    static var allowMethods: String { "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT" }
    /// Seconds a browser may cache a preflight answer (Starlette's default).
    static var maxAgeSeconds: Int { 600 }

    private var allowsAll: Bool { allowedOrigins.contains("*") }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !allowedOrigins.isEmpty, let origin = request.headers[.origin] else { return try await next(request, context) }
        let allowed = allowsAll || allowedOrigins.contains(origin)
        if request.method == .options, let method = request.headers[.accessControlRequestMethod] {
            guard allowed else {
                return OpenAIErrorMiddleware<Context>.response(OpenAIError(
                    .badRequest, "Disallowed CORS origin \(origin) (allowed: \(allowedOrigins.joined(separator: ", "))).", code: "cors_origin_not_allowed"))
            }
            var headers = HTTPFields()
            headers[.accessControlAllowOrigin] = allowsAll ? "*" : origin
            headers[.accessControlAllowMethods] = Self.allowMethods.contains(method.uppercased()) ? Self.allowMethods : method
            headers[.accessControlAllowHeaders] = request.headers[.accessControlRequestHeaders] ?? "*"
            headers[.accessControlMaxAge] = String(Self.maxAgeSeconds)
            if !allowsAll { headers[.vary] = "Origin" }
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "OK")))
        }
        var response = try await next(request, context)
        if allowed {
            response.headers[.accessControlAllowOrigin] = allowsAll ? "*" : origin
            if !allowsAll { response.headers[.vary] = "Origin" }
        }
        return response
    }
}
