public import Foundation

/// One conformance case, read from `fixtures/conformance/NAME.json`: a request and what its response must be.
public struct ConformanceCase: Sendable {
    /// Which servers a case is for: `openai` cases hold for any OpenAI-compatible server (vLLM's included);
    /// `simulator` cases check this simulator's own text, limits, settings and endpoints.
    public enum Profile: String, Sendable, CaseIterable {
        case openai, simulator
    }

    public var file: String
    public var name: String
    public var profile: Profile
    public var method: String
    public var path: String
    public var headers: [String: String]
    /// The body as JSON text, with `{{model}}` replaced at run time; nil for none.
    public var body: String?
    /// Sends no `Authorization` header (the default sends `Bearer {{api_key}}`).
    public var omitAuthorization: Bool
    /// Server settings the case needs; a runner that cannot apply them skips the case.
    public var server: ServerRequirements
    public var expectStatus: Int
    public var expectContentType: String?
    /// Matchers on the JSON body (non-streaming responses).
    public var json: [FieldMatcher]
    /// Rules on the SSE events (streaming responses).
    public var stream: StreamRules?
    /// Texts the raw body must contain.
    public var bodyContains: [String]
    /// Response headers (case-insensitive names) and a regular expression each value must match.
    public var expectHeaders: [String: String]

    /// Server settings a case depends on.
    public struct ServerRequirements: Sendable, Equatable {
        public var apiKey: String?
        public var maxQueue: Int?
        public var maxBodyBytes: Int?
        public var shuttingDown = false

        public init(apiKey: String? = nil, maxQueue: Int? = nil, maxBodyBytes: Int? = nil, shuttingDown: Bool = false) {
            self.apiKey = apiKey
            self.maxQueue = maxQueue
            self.maxBodyBytes = maxBodyBytes
            self.shuttingDown = shuttingDown
        }

        public var isDefault: Bool { self == ServerRequirements() }
    }

    /// Loads every `*.json` case in `folder`, sorted by file name; a malformed case is an error naming its file.
    public static func loadAll(from folder: URL) throws -> [ConformanceCase] {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        return try files.map { try load(folder.appendingPathComponent($0)) }
    }

    public static func load(_ url: URL) throws -> ConformanceCase {
        func fail(_ message: String) -> ConformanceError { ConformanceError("\(url.lastPathComponent): \(message)") }
        guard let data = FileManager.default.contents(atPath: url.path),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw fail("not a JSON object")
        }
        guard let request = root["request"] as? [String: Any], let expect = root["expect"] as? [String: Any] else {
            throw fail("needs \"request\" and \"expect\" objects")
        }
        guard let method = request["method"] as? String, let path = request["path"] as? String,
              let status = expect["status"] as? Int else {
            throw fail("needs request.method, request.path and expect.status")
        }
        var body: String?
        if let rawBody = request["raw_body"] as? String {
            body = rawBody
        } else if let repeated = request["repeat_body"] as? [String: Any], let text = repeated["text"] as? String, let count = repeated["count"] as? Int {
            body = String(repeating: text, count: count)
        } else if let json = request["body"] {
            body = String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
        }
        guard let profileName = root["profile"] as? String, let profile = Profile(rawValue: profileName) else {
            throw fail("needs \"profile\": \"openai\" (any OpenAI-compatible server) or \"simulator\" (this simulator only)")
        }
        let serverObject = root["server"] as? [String: Any] ?? [:]
        let server = ServerRequirements(
            apiKey: serverObject["api_key"] as? String, maxQueue: serverObject["max_queue"] as? Int,
            maxBodyBytes: serverObject["max_body_bytes"] as? Int, shuttingDown: serverObject["shutting_down"] as? Bool ?? false)
        let matchers = try (expect["json"] as? [[String: Any]] ?? []).map { try FieldMatcher(parsing: $0, file: url.lastPathComponent) }
        return ConformanceCase(
            file: url.lastPathComponent, name: root["name"] as? String ?? url.lastPathComponent, profile: profile, method: method, path: path,
            headers: request["headers"] as? [String: String] ?? [:], body: body,
            omitAuthorization: request["omit_authorization"] as? Bool ?? false, server: server, expectStatus: status,
            expectContentType: expect["content_type"] as? String, json: matchers,
            stream: try (expect["stream"] as? [String: Any]).map { try StreamRules(parsing: $0, file: url.lastPathComponent) },
            bodyContains: expect["body_contains"] as? [String] ?? [], expectHeaders: expect["headers"] as? [String: String] ?? [:])
    }
}

/// A malformed case or a failed run of the suite.
public struct ConformanceError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
