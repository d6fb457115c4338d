import Foundation
import Serve
import SimEngine
import Testing

/// Every case in fixtures/conformance against the in-process server; prints `N passed, N failed`.
@Suite(.serialized) struct ConformanceTests {
    static let cases = try! ConformanceCase.loadAll(from: TestServer.root.appendingPathComponent("fixtures/conformance"))
    static let model = "meta-llama/Llama-3.1-8B-Instruct"
    static let apiKey = "sk-conformance"

    /// The server settings a case asks for, on top of the suite's defaults (fast clock, an API key).
    static func configuration(for requirements: ConformanceCase.ServerRequirements) -> ServeConfiguration {
        var configuration = ServeConfiguration(models: [model, "qwen/Qwen3-8B"], speed: 200, apiKey: apiKey)
        if let maxQueue = requirements.maxQueue { configuration.maxQueue = maxQueue }
        if let maxBodyBytes = requirements.maxBodyBytes { configuration.maxBodyBytes = maxBodyBytes }
        return configuration
    }

    @Test func thereAreAtLeastFortyCasesCoveringEveryEndpoint() {
        #expect(Self.cases.count >= 40)
        let paths = Set(Self.cases.map(\.path))
        for path in ["/v1/models", "/v1/chat/completions", "/v1/completions", "/health", "/status", "/metrics"] {
            #expect(paths.contains(path), "no case for \(path)")
        }
        #expect(Self.cases.contains { $0.stream != nil })
    }

    @Test func casesAreSplitIntoPortableAndSimulatorProfiles() {
        let openai = Self.cases.filter { $0.profile == .openai }
        #expect(openai.count >= 60)
        #expect(Self.cases.count - openai.count >= 20)
        // Cases on this simulator's own text, settings or endpoints are not claimed to be portable.
        for file in ["chat_stop.json", "status.json", "error_queue_full.json", "tokenize_counts_like_prompts.json"] {
            #expect(Self.cases.first { $0.file == file }?.profile == .simulator, "\(file)")
        }
    }

    @Test(arguments: ["http://h:8000", "http://h:8000/", "http://h:8000/v1", "http://h:8000/v1/"])
    func aBaseURLWorksWithOrWithoutV1(url: String) {
        #expect(URLSessionTransport(baseURL: URL(string: url)!).baseURL.absoluteString == "http://h:8000")
    }

    @Test func everyCasePassesAgainstTheInProcessServer() async throws {
        let runner = ConformanceRunner(model: Self.model, apiKey: Self.apiKey)
        let shared = try await TestServer.start(Self.configuration(for: .init()))
        var outcomes: [ConformanceRunner.Outcome] = []
        for testCase in Self.cases {
            let outcome: ConformanceRunner.Outcome
            if testCase.server.maxQueue != nil || testCase.server.maxBodyBytes != nil || testCase.server.shuttingDown {
                let dedicated = try await TestServer.start(Self.configuration(for: testCase.server))
                if testCase.server.shuttingDown {
                    for driver in dedicated.app.drivers.values { await driver.stopAccepting() }
                }
                outcome = await runner.run(testCase, transport: URLSessionTransport(baseURL: dedicated.baseURL))
                await dedicated.stop()
            } else {
                outcome = await runner.run(testCase, transport: URLSessionTransport(baseURL: shared.baseURL))
            }
            if case .failed(let problems) = outcome { Issue.record("\(testCase.file): \(problems.joined(separator: "; "))") }
            #expect(outcome == .passed, "\(testCase.file)")
            outcomes.append(outcome)
        }
        await shared.stop()
        print(ConformanceRunner.summary(outcomes))
    }
}
