import Foundation
import TestSupport
import Testing

/// The real `serve` binary on 127.0.0.1: the official openai Python client, and a clean exit on SIGTERM.
@Suite(.serialized) struct ServeExecutableTests {
    static var executable: String { Tool.url("serve").path }

    /// A process writing to a file (not a pipe, so nothing blocks), and that file's text.
    final class Launched {
        let child: ChildProcess
        let log: URL

        init(_ executable: String, _ arguments: [String]) throws {
            log = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString).log")
            child = try ChildProcess(executable, arguments, output: log)
        }

        var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        func waitForOutput(_ text: String, seconds: Double = 30) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if output.contains(text) { return true }
                if !child.isRunning { return false }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return false
        }
    }

    static func freePort() -> Int { Int.random(in: 20000...40000) }

    func startServe(apiKey: String?) throws -> (Launched, Int) {
        for _ in 0..<5 {
            let port = Self.freePort()
            var arguments = ["--data-dir", TestServer.root.path, "--port", "\(port)", "--speed", "20", "--drain-seconds", "2"]
            if let apiKey { arguments += ["--api-key", apiKey] }
            let server = try Launched(Self.executable, arguments)
            if server.waitForOutput("serving ") { return (server, port) }
            server.child.terminate()
        }
        throw CancellationError()
    }

    @Test func theOfficialOpenAIPythonClientWorksAgainstServe() async throws {
        let (exited, status, output) = try await onDedicatedThread { () throws -> (Bool, Int32, String) in
            let (server, port) = try self.startServe(apiKey: "sk-e2e")
            defer { server.child.terminate() }
            let script = TestServer.root.appendingPathComponent("Tests/ServeTests/Python/openai_e2e.py").path
            let python = try Launched("/usr/bin/env", ["python3", script, "http://127.0.0.1:\(port)", "sk-e2e", "meta-llama/Llama-3.1-8B-Instruct"])
            let status = python.child.waitOrKill(seconds: 120)
            return (status != nil, status ?? -1, python.output)
        }
        #expect(exited)
        #expect(status == 0, "\(output)\n(install the client with: pip install openai)")
        #expect(output.contains("openai e2e: all checks passed"))
    }

    @Test func sigtermStopsTheServerCleanly() async throws {
        struct Steps: Sendable { var streaming = false, exited = false, status: Int32 = -1, stream = "", output = "" }
        let steps = try await onDedicatedThread { () throws -> Steps in
            var steps = Steps()
            let (server, port) = try self.startServe(apiKey: nil)
            let client = try RawHTTPClient(port: port)
            defer { client.close() }
            client.post("/v1/chat/completions", json: #"{"model":"meta-llama/Llama-3.1-8B-Instruct","messages":[{"role":"user","content":"x"}],"max_tokens":100000,"stream":true}"#)
            var received = ""
            steps.streaming = client.read(until: "\"content\"", into: &received)
            server.child.signal(SIGTERM)
            let status = server.child.waitOrKill(seconds: 30)
            steps.exited = status != nil
            steps.status = status ?? -1
            _ = client.read(until: "service_unavailable", into: &received)
            steps.stream = received
            steps.output = server.output
            return steps
        }
        #expect(steps.streaming)
        #expect(steps.exited, "serve did not exit after SIGTERM: \(steps.output)")
        #expect(steps.status == 0, "\(steps.output)")
        // The stream outlives --drain-seconds 2, so shutdown cancels it: it ends with an error event, not [DONE].
        #expect(steps.stream.contains(#""code":"service_unavailable""#), "\(steps.stream.suffix(300))")
        #expect(!steps.stream.contains("[DONE]"))
    }
}
