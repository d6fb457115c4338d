import Foundation
import Serve
import SimEngine
import TestSupport
import Testing

/// `serve`'s flags shared with `simulate` and vLLM: served names, max model length, CORS origins, the port range.
@Suite struct ServeFlagsTests {
    static let llama = "meta-llama/Llama-3.1-8B-Instruct"

    func json(_ response: ConformanceResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
    }

    @Test func servedModelNamesAliasOneModelAndResponsesReportTheFirst() async throws {
        var configuration = ServeConfiguration(models: [Self.llama], scheduler: SchedulerConfig(maxModelLen: 4096), speed: 1000)
        configuration.servedModelNames = ["llama", "l8"]
        let server = try await TestServer.start(configuration)
        let transport = URLSessionTransport(baseURL: server.baseURL.appendingPathComponent("v1"))
        let models = try json(try await transport.send(method: "GET", path: "/v1/models", headers: [:], body: nil))["data"] as! [[String: Any]]
        #expect(models.map { $0["id"] as! String } == ["llama", "l8"])
        #expect(models.allSatisfy { $0["root"] as? String == Self.llama && $0["max_model_len"] as? Int == 4096 })
        let body = Data(#"{"model":"l8","messages":[{"role":"user","content":"Hi"}],"max_tokens":1}"#.utf8)
        let chat = try json(try await transport.send(method: "POST", path: "/v1/chat/completions", headers: ["Content-Type": "application/json"], body: body))
        #expect(chat["model"] as? String == "llama")
        let unknown = try await transport.send(method: "POST", path: "/v1/chat/completions", headers: [:],
                                               body: Data(#"{"model":"\#(Self.llama)","messages":[{"role":"user","content":"Hi"}]}"#.utf8))
        #expect(unknown.status == 404)
        await server.stop()
    }

    @Test func servedNamesMustMatchTheModels() {
        var configuration = ServeConfiguration(models: [Self.llama, "qwen/Qwen3-8B"])
        configuration.servedModelNames = ["only-one"]
        #expect(throws: SimEngineError.self) { try ServeApp(configuration: configuration, loader: TestServer.loader) }
        configuration.servedModelNames = ["same", "same"]
        #expect(throws: SimEngineError.self) { try ServeApp(configuration: configuration, loader: TestServer.loader) }
    }

    @Test func corsAnswersAllowedOriginsAndRefusesOthers() async throws {
        var configuration = ServeConfiguration(models: [Self.llama], speed: 1000)
        configuration.allowedOrigins = ["http://ok.example"]
        let server = try await TestServer.start(configuration)
        let transport = URLSessionTransport(baseURL: server.baseURL)
        func preflight(_ origin: String) async throws -> ConformanceResponse {
            try await transport.send(method: "OPTIONS", path: "/v1/chat/completions",
                                     headers: ["Origin": origin, "Access-Control-Request-Method": "POST"], body: nil)
        }
        let allowed = try await preflight("http://ok.example")
        #expect(allowed.status == 200)
        #expect(allowed.headers["access-control-allow-origin"] == "http://ok.example")
        #expect(allowed.headers["vary"] == "Origin")
        let refused = try await preflight("http://evil.example")
        #expect(refused.status == 400)
        #expect(try json(refused)["error"] != nil)
        let plain = try await transport.send(method: "GET", path: "/v1/models", headers: ["Origin": "http://evil.example"], body: nil)
        #expect(plain.status == 200)
        #expect(plain.headers["access-control-allow-origin"] == nil)
        await server.stop()
    }

    @Test(arguments: ["70000", "0", "-1"]) func aPortOutsideTheRangeIsAnError(port: String) async throws {
        let outcome = try await Tool.run("serve", ["run", "--port", port])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("port"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("1...65535"), "\(outcome.stderr)")
    }

    @Test func originsParseAsVLLMsJSONListOrRepeatedFlags() async throws {
        let outcome = try await Tool.run("serve", ["run", "--port", "1", "--allowed-origins", "[not json"])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("allowed-origins"), "\(outcome.stderr)")
    }
}
