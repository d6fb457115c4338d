import Foundation
import TestSupport
import Testing

/// The real `simulate` executable: reports on success; a clear error, exit 1 and no report files on failure.
@Suite struct SimulateCLITests {
    func run(_ arguments: [String]) async throws -> Tool.Outcome { try await Tool.run("simulate", arguments) }

    func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("simulate-\(UUID().uuidString)")
    }

    @Test func aTraceRunWritesTheCSVAndSummaryAndTheSameRunGivesTheSameBytes() async throws {
        let trace = TestEngines.root.appendingPathComponent("fixtures/traces/lognormal_4rps.jsonl").path
        let first = temporaryFolder(), second = temporaryFolder()
        let result = try await run(["--trace", trace, "--out", first.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("TTFT") && result.stdout.contains("requests/s"))
        #expect(try await run(["--trace", trace, "--out", second.path]).status == 0)
        for file in ["requests.csv", "summary.json"] {
            #expect(try Data(contentsOf: first.appendingPathComponent(file)) == Data(contentsOf: second.appendingPathComponent(file)))
        }
        let csv = try String(contentsOf: first.appendingPathComponent("requests.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("request id,model,input,output,arrival,end_time,latency,queuing_delay,TTFT,TPOT"))
        #expect(csv.split(separator: "\n").count == 201)
    }

    @Test func jsonOutputIsOnlyJSONAndAStaleRejectedListIsRemoved() async throws {
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("request id,reason\n7,\"old\"\n".utf8).write(to: folder.appendingPathComponent("rejected.csv"))
        let result = try await run(["--rate", "5", "--requests", "20", "--json", "--out", folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) is [String: Any], "\(result.stdout)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("rejected.csv").path))
    }

    @Test func rejectedRequestsAreListedWithTheirReason() async throws {
        let folder = temporaryFolder()
        let result = try await run(["--model", "facebook/opt-6.7b", "--rate", "5", "--requests", "30", "--input-len", "uniform:100:3000", "--output-len", "64", "--out", folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        let rejected = try String(contentsOf: folder.appendingPathComponent("rejected.csv"), encoding: .utf8)
        #expect(rejected.contains("maximum context length of 2048"))
        #expect(result.stderr.contains("rejected request"))
    }

    @Test(arguments: [
        (["--trace", "fixtures/traces/missing.tsv"], "missing.tsv"),
        (["--model", "acme/None"], "unknown model"),
        (["--hardware", "MI300X"], "unknown GPU"),
        (["--model", "meta-llama/Llama-3.1-70B-Instruct", "--hardware", "A100"], "does not fit"),
        (["--model", "meta-llama/Llama-3.1-70B-Instruct", "--hardware", "T4", "--num-gpu-blocks", "1000"], "its weights alone, 131.4 GiB, exceed"),
        (["--requests", "0"], "at least 1"),
        (["--table", "fixtures/tables/llmservingsim_excerpt.csv", "--model", "qwen/Qwen3-8B"], "no rows for model qwen/Qwen3-8B"),
        (["--input-len", "uniform:9:3"], "min 9 is above max 3"),
        (["--rate", "0"], "rate"),
        (["--tp", "3"], "divide"),
        (["--rate", "1e-9"], "about 115 days"),
        (["--trace", "fixtures/traces/poisson_8rps_512x256.tsv", "--rate", "3"], "--rate describes a synthetic workload"),
    ])
    func badInputFailsClearlyAndLeavesNoReport(arguments: [String], message: String) async throws {
        let folder = temporaryFolder()
        let resolved = arguments.map { $0.hasPrefix("fixtures/") ? TestEngines.root.appendingPathComponent($0).path : $0 }
        let size = resolved.contains("--trace") || resolved.contains("--requests") ? [] : ["--requests", "20"]
        let result = try await run(resolved + size + ["--out", folder.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).isEmpty)
    }

    @Test func aBadTraceLineNamesFileAndLine() async throws {
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let trace = folder.appendingPathComponent("t.tsv")
        try Data("100\t10\t0\n100\tten\t5\n".utf8).write(to: trace)
        let result = try await run(["--trace", trace.path, "--out", folder.appendingPathComponent("out").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("t.tsv:2"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    }
}
