public import HTTPTypes

/// An error in OpenAI's shape, `{"error": {"message", "type", "param", "code"}}`, with its HTTP status.
public struct OpenAIError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var message: String
    public var type: String
    public var param: String?
    public var code: String?
    /// Seconds a client should wait before retrying (`Retry-After`), on 429 and 503.
    public var retryAfterSeconds: Int?

    public init(_ status: HTTPResponse.Status, _ message: String, type: String = "invalid_request_error", param: String? = nil, code: String? = nil) {
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
    }

    /// A 400 for a field with the wrong type or value.
    public static func invalid(_ message: String, param: String?, code: String? = nil) -> OpenAIError {
        OpenAIError(.badRequest, message, param: param, code: code)
    }

    public static func modelNotFound(_ model: String) -> OpenAIError {
        OpenAIError(.notFound, "The model `\(model)` does not exist or you do not have access to it.", param: "model", code: "model_not_found")
    }

    public static let invalidAPIKey = OpenAIError(
        .unauthorized, "Incorrect API key provided. You can find your API key in the server's --api-key option.", code: "invalid_api_key")
    public static let missingAPIKey = OpenAIError(
        .unauthorized, "You didn't provide an API key. Provide it in an Authorization header (Authorization: Bearer YOUR_KEY).", code: "invalid_api_key")
    public static let shuttingDown: OpenAIError = {
        var error = OpenAIError(.serviceUnavailable, "The server is shutting down.", type: "server_error", code: "service_unavailable")
        error.retryAfterSeconds = 5
        return error
    }()

    public static func queueFull(_ limit: Int) -> OpenAIError {
        var error = OpenAIError(.tooManyRequests, "The engine's queue is full (\(limit) requests waiting); retry later.", type: "rate_limit_error", code: "rate_limit_exceeded")
        error.retryAfterSeconds = 1
        return error
    }

    public static func unknownPath(_ method: String, _ path: String) -> OpenAIError {
        OpenAIError(.notFound, "Invalid URL (\(method) \(path))", code: "unknown_url")
    }

    public static func methodNotAllowed(_ method: String, _ path: String) -> OpenAIError {
        OpenAIError(.methodNotAllowed, "Method \(method) is not allowed on \(path).", code: "method_not_allowed")
    }

    public static func bodyTooLarge(_ limit: Int) -> OpenAIError {
        OpenAIError(.contentTooLarge, "The request body is larger than the limit of \(limit) bytes.", code: "request_too_large")
    }

    /// The JSON body.
    var body: ErrorBody { ErrorBody(error: .init(message: message, type: type, param: param, code: code)) }

    struct ErrorBody: Encodable {
        struct Detail: Encodable {
            var message: String
            var type: String
            var param: String?
            var code: String?

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(message, forKey: .message)
                try container.encode(type, forKey: .type)
                try container.encode(param, forKey: .param)
                try container.encode(code, forKey: .code)
            }

            enum CodingKeys: String, CodingKey { case message, type, param, code }
        }

        var error: Detail
    }
}
