public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends a case's request somewhere and returns the raw response.
public protocol ConformanceTransport: Sendable {
    func send(method: String, path: String, headers: [String: String], body: Data?) async throws -> ConformanceResponse
}

/// A response as a case sees it; header names are lowercased.
public struct ConformanceResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public var contentType: String? { headers["content-type"] }

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
    }
}

/// A transport to any OpenAI-compatible server at `baseURL` (http://127.0.0.1:8000, with or without `/v1`).
public struct URLSessionTransport: ConformanceTransport {
    public let baseURL: URL
    private let session: URLSession

    public init(baseURL: URL) {
        self.baseURL = Self.serverRoot(baseURL)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 120
        configuration.httpMaximumConnectionsPerHost = 1024
        session = URLSession(configuration: configuration)
    }

    /// The server's root: cases name paths from there (`/v1/models`, `/health`), so a trailing `/v1` goes.
    public static func serverRoot(_ url: URL) -> URL {
        var text = url.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasSuffix("/v1") { text.removeLast(3) }
        return URL(string: text) ?? url
    }

    public func send(method: String, path: String, headers: [String: String], body: Data?) async throws -> ConformanceResponse {
        guard let url = URL(string: baseURL.absoluteString + path) else {
            throw ConformanceError("bad URL \(baseURL)\(path)")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let data: Data, response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw ConformanceError("cannot reach \(url.host ?? baseURL.absoluteString):\(url.port.map(String.init) ?? "default port") (\(error.localizedDescription)); is the server running at \(baseURL)?")
        }
        guard let http = response as? HTTPURLResponse else { throw ConformanceError("not an HTTP response") }
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name] = value }
        }
        return ConformanceResponse(status: http.statusCode, headers: fields, body: data)
    }
}

/// Runs conformance cases and reports each one's problems.
public struct ConformanceRunner: Sendable {
    /// The model id put in place of `{{model}}`.
    public var model: String
    /// The key sent as `Authorization: Bearer …`; cases that need a key enforced are skipped without one.
    public var apiKey: String?

    public init(model: String, apiKey: String?) {
        self.model = model
        self.apiKey = apiKey
    }

    public enum Outcome: Sendable, Equatable {
        case passed
        case failed([String])
        case skipped(String)
    }

    /// Runs one case; `transport` must reach a server with the case's requirements (the runner checks the API key).
    public func run(_ testCase: ConformanceCase, transport: any ConformanceTransport) async -> Outcome {
        if testCase.server.apiKey != nil && apiKey == nil { return .skipped("needs a server with an API key") }
        var headers = ["Content-Type": "application/json"]
        if !testCase.omitAuthorization, let apiKey { headers["Authorization"] = "Bearer \(apiKey)" }
        for (name, value) in testCase.headers { headers[name] = substitute(value) }
        let body = testCase.body.map { Data(substitute($0).utf8) }
        let response: ConformanceResponse
        do {
            response = try await transport.send(method: testCase.method, path: substitute(testCase.path), headers: headers, body: body)
        } catch {
            return .failed(["request failed: \(error)"])
        }
        var problems: [String] = []
        if response.status != testCase.expectStatus { problems.append("status \(response.status), expected \(testCase.expectStatus)") }
        if let expected = testCase.expectContentType, !(response.contentType ?? "").hasPrefix(expected) {
            problems.append("content type \(response.contentType ?? "none"), expected \(expected)")
        }
        for (name, pattern) in testCase.expectHeaders.sorted(by: { $0.key < $1.key }) {
            guard let value = response.headers[name.lowercased()] else {
                problems.append("no \(name) header")
                continue
            }
            if value.range(of: pattern, options: .regularExpression) == nil { problems.append("header \(name): \"\(value)\" does not match /\(pattern)/") }
        }
        let text = String(decoding: response.body, as: UTF8.self)
        problems += testCase.bodyContains.filter { !text.contains($0) }.map { "body lacks \"\($0)\"" }
        if let stream = testCase.stream {
            problems += stream.substituting(model: model).failures(body: text)
        } else if !testCase.json.isEmpty {
            if let document = try? JSONSerialization.jsonObject(with: response.body, options: [.fragmentsAllowed]) {
                problems += testCase.json.compactMap { $0.substituting(model: model).failure(in: document) }
            } else {
                problems.append("body is not JSON: \(text.prefix(120))")
            }
        }
        return problems.isEmpty ? .passed : .failed(problems)
    }

    private func substitute(_ text: String) -> String {
        text.replacingOccurrences(of: "{{model}}", with: model).replacingOccurrences(of: "{{api_key}}", with: apiKey ?? "")
    }

    /// The closing line of a run: `N passed, N failed, N skipped`.
    public static func summary(_ outcomes: [Outcome]) -> String {
        var passed = 0, failed = 0, skipped = 0
        for outcome in outcomes {
            switch outcome {
            case .passed: passed += 1
            case .failed: failed += 1
            case .skipped: skipped += 1
            }
        }
        return "\(passed) passed, \(failed) failed, \(skipped) skipped"
    }
}
