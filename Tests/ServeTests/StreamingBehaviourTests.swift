import Foundation
import Serve
import TestSupport
import Testing

@Suite(.serialized) struct StreamingBehaviourTests {
    static let model = "meta-llama/Llama-3.1-8B-Instruct"

    func waitUntil(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<300 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Whether the server's engine reaches no running request and no KV block in use within 15 s.
    func waitUntilIdle(_ server: TestServer) async throws -> Bool {
        try await waitUntil {
            let models = try await server.status()["models"] as! [[String: Any]]
            return models[0]["running"] as? Int == 0 && models[0]["kv_blocks_used"] as? Int == 0
        }
    }

    @Test func aClientThatDisconnectsMidStreamCancelsItsRequestAndFreesItsBlocks() async throws {
        let server = try await TestServer.start(ServeConfiguration(models: [Self.model], speed: 1))
        let client = try RawHTTPClient(port: server.port)
        client.post("/v1/chat/completions", json: #"{"model":"\#(Self.model)","messages":[{"role":"user","content":"Write a long story"}],"max_tokens":5000,"stream":true}"#)
        let sawToken = try await onDedicatedThread {
            var received = ""
            return client.read(until: "\"content\":\" The\"", into: &received)
        }
        #expect(sawToken)
        let busy = try await server.status()
        let models = busy["models"] as! [[String: Any]]
        #expect(models[0]["running"] as? Int == 1)
        #expect((models[0]["kv_blocks_used"] as? Int ?? 0) > 0)
        client.close()
        #expect(try await waitUntilIdle(server), "the request still runs or holds KV blocks")
        await server.stop()
    }

    @Test func aClientThatDisconnectsBeforeANonStreamingResponseCancelsItsRequest() async throws {
        let server = try await TestServer.start(ServeConfiguration(models: [Self.model], speed: 1))
        let client = try RawHTTPClient(port: server.port)
        client.post("/v1/chat/completions", json: #"{"model":"\#(Self.model)","messages":[{"role":"user","content":"Write"}],"max_tokens":5000}"#)
        let started = try await waitUntil {
            (try await server.status()["models"] as! [[String: Any]])[0]["running"] as? Int == 1
        }
        #expect(started)
        client.close()
        #expect(try await waitUntilIdle(server), "the request still runs or holds KV blocks")
        await server.stop()
    }

    @Test func tokensArriveWhenSimulatedTimeReachesThem() async throws {
        let server = try await TestServer.start(ServeConfiguration(models: [Self.model], speed: 1))
        let port = server.port
        let prompt = (0..<2000).map(String.init).joined(separator: ",")
        let (received, sawFirst, sawDone, firstTokenMs, totalMs) = try await onDedicatedThread { () throws -> (String, Bool, Bool, Double, Double) in
            let client = try RawHTTPClient(port: port)
            defer { client.close() }
            func elapsedMs(_ since: ContinuousClock.Instant) -> Double {
                let elapsed = ContinuousClock.now - since
                return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            }
            let started = ContinuousClock.now
            client.post("/v1/completions", json: #"{"model":"\#(Self.model)","prompt":[\#(prompt)],"max_tokens":20,"stream":true}"#)
            var received = ""
            let sawFirst = client.read(until: "\"text\":\" The\"", into: &received)
            let firstTokenMs = elapsedMs(started)
            let sawDone = client.read(until: "[DONE]", into: &received)
            return (received, sawFirst, sawDone, firstTokenMs, elapsedMs(started))
        }
        #expect(sawFirst && sawDone)
        let ttft = try #require(Self.number(after: "\"ttft_ms\":", in: received))
        let e2e = try #require(Self.number(after: "\"e2e_ms\":", in: received))
        #expect(ttft > 100, "a 2000-token prefill on an A100 takes over 100 ms")
        // Never early: the first token waits for the simulated prefill, and the last for every decode step.
        // How late is the pacing error, which Benchmarks/serve/pacing.c measures without other tests competing.
        #expect(firstTokenMs >= ttft - 2, "client TTFT \(firstTokenMs) ms vs simulated \(ttft) ms")
        #expect(totalMs >= e2e - 2, "client E2E \(totalMs) ms vs simulated \(e2e) ms")
        await server.stop()
    }

    @Test func concurrentRequestsShareTheSimulatedGPU() async throws {
        // Slow simulated time (0.2×) keeps the 64 requests overlapping even if the machine delays their arrival.
        let server = try await TestServer.start(ServeConfiguration(models: [Self.model], speed: 0.2))
        let transport = URLSessionTransport(baseURL: server.baseURL)
        let body = Data(#"{"model":"\#(Self.model)","messages":[{"role":"user","content":"Hello"}],"max_tokens":16}"#.utf8)
        func tpot() async throws -> Double {
            let response = try await transport.send(method: "POST", path: "/v1/chat/completions", headers: ["Content-Type": "application/json"], body: body)
            let object = try JSONSerialization.jsonObject(with: response.body) as! [String: Any]
            return (object["simulation"] as! [String: Any])["tpot_ms"] as! Double
        }
        let alone = try await tpot()
        // The slowest of 64 concurrent requests: on a starved machine some arrive late and run almost alone.
        let loaded = try await withThrowingTaskGroup(of: Double.self) { group in
            for _ in 0..<64 { group.addTask { try await tpot() } }
            return try await group.reduce(0, max)
        }
        #expect(loaded > alone * 1.05, "TPOT alone \(alone) ms, slowest under load \(loaded) ms")
        await server.stop()
    }

    static func number(after key: String, in text: String) -> Double? {
        guard let range = text.range(of: key, options: .backwards) else { return nil }
        return Double(text[range.upperBound...].prefix { "0123456789.".contains($0) })
    }
}
