import ArgumentParser
import Foundation
import Serve

struct Conformance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the conformance fixtures against any OpenAI-compatible server.",
        discussion: "Prints one line per case and a closing `N passed, N failed, N skipped` line; exit 1 when any failed.")

    @Option(help: "Base URL of the server, with or without /v1.") var baseURL: String = "http://127.0.0.1:8000"
    @Option(help: "openai (cases any OpenAI-compatible server should pass), simulator (this simulator's own) or all.") var profile: ProfileChoice = .all
    @Option(help: "Folder of cases.") var fixtures: String = "fixtures/conformance"
    @Option(help: "Model id for the cases (default: the first of /v1/models).") var model: String?
    @Option(help: "API key of the server, if it needs one.") var apiKey: String?

    func run() async throws {
        guard let url = URL(string: baseURL) else { throw ValidationError("bad --base-url \(baseURL)") }
        let transport = URLSessionTransport(baseURL: url)
        let cases = try ConformanceCase.loadAll(from: URL(fileURLWithPath: fixtures)).filter { profile.includes($0.profile) }
        let modelID: String
        if let model {
            modelID = model
        } else {
            let headers = apiKey.map { ["Authorization": "Bearer \($0)"] } ?? [:]
            let response = try await transport.send(method: "GET", path: "/v1/models", headers: headers, body: nil)
            guard let list = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
                  let first = (list["data"] as? [[String: Any]])?.first?["id"] as? String else {
                let hint = response.status == 401 ? " (it answered 401: give --api-key)" : " (status \(response.status)); give --model"
                throw ValidationError("cannot read a model from \(transport.baseURL.absoluteString)/v1/models\(hint)")
            }
            modelID = first
        }
        let runner = ConformanceRunner(model: modelID, apiKey: apiKey)
        var outcomes: [ConformanceRunner.Outcome] = []
        for testCase in cases {
            let outcome: ConformanceRunner.Outcome = testCase.server.isDefault || testCase.server.apiKey != nil
                ? await runner.run(testCase, transport: transport)
                : .skipped("needs server settings this runner cannot apply")
            outcomes.append(outcome)
            switch outcome {
            case .passed: print("PASS \(testCase.file): \(testCase.name)")
            case .failed(let problems): print("FAIL \(testCase.file): \(testCase.name)\n  " + problems.joined(separator: "\n  "))
            case .skipped(let why): print("SKIP \(testCase.file): \(why)")
            }
        }
        print(ConformanceRunner.summary(outcomes) + " (profile \(profile.rawValue))")
        if outcomes.contains(where: { if case .failed = $0 { true } else { false } }) { throw ExitCode.failure }
    }
}

/// `--profile`: one profile of cases, or all.
enum ProfileChoice: String, ExpressibleByArgument, CaseIterable {
    case openai, simulator, all

    func includes(_ profile: ConformanceCase.Profile) -> Bool { self == .all || rawValue == profile.rawValue }
}
