public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends a case's request somewhere and returns the raw response.
public protocol ConformanceTransport: Sendable {
    func send(method: String, path: String, headers: [String: String], body: Data?) async throws -> (status: Int, contentType: String?, body: Data)
}

/// A transport to any OpenAI-compatible server at `baseURL` (e.g. http://127.0.0.1:8000).
public struct URLSessionTransport: ConformanceTransport {
    public let baseURL: URL
    private let session: URLSession

    public init(baseURL: URL) {
        self.baseURL = baseURL
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 120
        configuration.httpMaximumConnectionsPerHost = 1024
        session = URLSession(configuration: configuration)
    }

    public func send(method: String, path: String, headers: [String: String], body: Data?) async throws -> (status: Int, contentType: String?, body: Data) {
        guard let url = URL(string: baseURL.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + path) else {
            throw ConformanceError("bad URL \(baseURL)\(path)")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw ConformanceError("not an HTTP response") }
        return (http.statusCode, http.value(forHTTPHeaderField: "Content-Type"), data)
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
        let response: (status: Int, contentType: String?, body: Data)
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
