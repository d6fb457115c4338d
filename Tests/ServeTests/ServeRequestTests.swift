import Foundation
import Serve
import Testing

/// Behaviour of single requests against the in-process server that fixtures cannot express portably.
@Suite struct ServeRequestTests {
    static let llama = "meta-llama/Llama-3.1-8B-Instruct"
    static let qwen = "qwen/Qwen3-8B"

    func chat(_ transport: URLSessionTransport, model: String, extra: String = "") async throws -> (status: Int, object: [String: Any]) {
        let body = Data(#"{"model":"\#(model)","messages":[{"role":"user","content":"Hi"}]\#(extra)}"#.utf8)
        let response = try await transport.send(method: "POST", path: "/v1/chat/completions", headers: ["Content-Type": "application/json"], body: body)
        return (response.status, try JSONSerialization.jsonObject(with: response.body) as! [String: Any])
    }

    @Test func responseIDsAreUniqueAcrossModels() async throws {
        let server = try await TestServer.start(ServeConfiguration(models: [Self.llama, Self.qwen], speed: 1000))
        let transport = URLSessionTransport(baseURL: server.baseURL)
        var ids: [String] = []
        for model in [Self.llama, Self.qwen, Self.llama, Self.qwen] {
            ids.append(try await chat(transport, model: model, extra: #","max_tokens":1"#).object["id"] as! String)
        }
        #expect(Set(ids).count == 4, "\(ids)")
        await server.stop()
    }

    @Test func requestsWithoutASeedDrawTheirOwnLengthsAndASeedFixesIt() async throws {
        let server = try await TestServer.start(ServeConfiguration(models: [Self.llama], speed: 100_000))
        let transport = URLSessionTransport(baseURL: server.baseURL)
        func completionTokens(_ extra: String) async throws -> Int {
            let usage = try await chat(transport, model: Self.llama, extra: extra).object["usage"] as! [String: Any]
            return usage["completion_tokens"] as! Int
        }
        var unseeded: Set<Int> = []
        for _ in 0..<4 { unseeded.insert(try await completionTokens("")) }
        #expect(unseeded.count > 1, "four requests without a seed all drew \(unseeded)")
        let seeded = [try await completionTokens(#","seed":7"#), try await completionTokens(#","seed":7"#)]
        #expect(seeded[0] == seeded[1])
        await server.stop()
    }

    @Test func aModelIDWithAnEncodedSlashIsFound() async throws {
        let server = try await TestServer.start(ServeConfiguration(models: [Self.llama], speed: 1000))
        let response = try await URLSessionTransport(baseURL: server.baseURL)
            .send(method: "GET", path: "/v1/models/meta-llama%2FLlama-3.1-8B-Instruct", headers: [:], body: nil)
        #expect(response.status == 200)
        let object = try JSONSerialization.jsonObject(with: response.body) as! [String: Any]
        #expect(object["id"] as? String == Self.llama)
        await server.stop()
    }

    @Test func moreChoicesThanTheQueueIsA400AndAnEmptyQueueA429() async throws {
        for (maxQueue, status) in [(2, 400), (0, 429)] {
            let server = try await TestServer.start(ServeConfiguration(models: [Self.llama], speed: 1000, maxQueue: maxQueue))
            let answer = try await chat(URLSessionTransport(baseURL: server.baseURL), model: Self.llama, extra: #","max_tokens":1,"n":3"#)
            #expect(answer.status == status)
            await server.stop()
        }
    }

    @Test func aGrowingConversationHitsThePrefixCacheAndMetricsCountIt() async throws {
        let server = try await TestServer.start(ServeConfiguration(models: [Self.llama], speed: 1000))
        let transport = URLSessionTransport(baseURL: server.baseURL)
        let opening = String(repeating: "The quick brown fox jumps over the lazy dog near the riverbank. ", count: 40)
        var messages = #"{"role":"system","content":"\#(opening)"},{"role":"user","content":"Tell me a story."}"#
        func send() async throws -> [String: Any] {
            let body = Data(#"{"model":"\#(Self.llama)","max_tokens":4,"messages":[\#(messages)]}"#.utf8)
            let response = try await transport.send(method: "POST", path: "/v1/chat/completions", headers: ["Content-Type": "application/json"], body: body)
            #expect(response.status == 200)
            return (try JSONSerialization.jsonObject(with: response.body) as! [String: Any])["usage"] as! [String: Any]
        }
        func cached(_ usage: [String: Any]) -> Int { (usage["prompt_tokens_details"] as! [String: Any])["cached_tokens"] as! Int }
        let first = try await send()
        #expect(cached(first) == 0)
        messages += #",{"role":"assistant","content":"Once upon a time."},{"role":"user","content":"Go on."}"#
        let second = try await send()
        let prompt = first["prompt_tokens"] as! Int
        // Everything but the first turn's 3 priming tokens is a prefix of the second prompt, in whole 16-token blocks.
        #expect(cached(second) == (prompt - 3) / 16 * 16, "\(second)")
        let metrics = try await transport.send(method: "GET", path: "/metrics", headers: [:], body: nil)
        let text = String(decoding: metrics.body, as: UTF8.self)
        #expect(text.contains("vllm:prefix_cache_hits{model_name=\"\(Self.llama)\"} \(cached(second))"), "\(text)")
        #expect(text.contains("vllm:prefix_cache_queries"))
        await server.stop()
    }
}
