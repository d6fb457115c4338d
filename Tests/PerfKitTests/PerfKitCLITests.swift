import Foundation
import PerfKit
import TestSupport
import Testing

/// The real `perfkit` executable on real files: exit status, messages, and no partial output on failure.
@Suite struct PerfKitCLITests {
    func run(_ arguments: [String]) async throws -> Tool.Outcome { try await Tool.run("perfkit", arguments) }

    @Test func extendWithAFactorWritesTheRenamedTable() async throws {
        let out = try RepositoryData.temporaryFolder().appendingPathComponent("L40.csv")
        let result = try await run(["extend", "--from", "RTX3090", "--to", "L40", "1.8", "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let table = try LatencyTable.load(from: out)
        #expect(table.hardwareNames == ["L40"])
        #expect(result.stderr.contains("physical floor"))
    }

    @Test(arguments: [
        (["extend", "--from", "RTX3090", "--to", "L40", "0"], "factor"),
        (["extend", "--from", "RTX3090", "--to", "L40", "--", "-2"], "factor"),
        (["extend", "--from", "NOPE", "--to", "L40", "2"], "NOPE.csv"),
        (["extend", "--from", "RTX3090", "--to", "B300"], "unknown GPU"),
        (["generate", "--model", "acme/None", "--hardware", "A100"], "unknown model"),
        (["generate", "--model", "qwen/Qwen3-8B", "--hardware", "Z9"], "unknown GPU"),
        (["query", "--hardware", "A100", "--model", "qwen/Qwen3-8B", "--phase", "decode", "--kv", "-5"], "--kv"),
        (["extend", "--from", "RTX3090", "--to", "L40", "1e-10"], "100 s"),
        (["query", "--hardware", "A100", "--model", "qwen/Qwen3-8B", "--phase", "decode", "--batch", "9223372036854775807"], "--batch must be at most 4096"),
        (["query", "--hardware", "MI300X", "--model", "qwen/Qwen3-8B", "--phase", "decode"], "unknown GPU \"MI300X\""),
        (["query", "--hardware", "A100", "--model", "meta-llama/Llama-3.1-8B-Instruct", "--phase", "decode", "--table", "bad/negative_latency.csv"],
         "negative_latency.csv:3: latency(ns) must be positive"),
        (["interpolate", "--hardware", "A100", "--model", "qwen/Qwen3-8B", "--layer", "q_proj", "--input", "9223372036854775807"], "--input must be at most"),
        (["interpolate", "--hardware", "A100", "--model", "qwen/Qwen3-8B", "--dense", "--max-input", "40960", "--kv-step", "1"], "would have"),
        (["interpolate", "--hardware", "A100", "--model", "qwen/Qwen3-8B", "--dense", "--max-input", "100000"], "context of 40960"),
    ])
    func badArgumentsFailWithAClearErrorAndNoOutputFile(arguments: [String], message: String) async throws {
        let folder = try RepositoryData.temporaryFolder()
        let resolved = arguments.map { $0.hasPrefix("bad/") ? RepositoryData.fixtures.appendingPathComponent($0).path : $0 }
        let result = try await run(resolved + ["--out", folder.appendingPathComponent("x.csv").path].filter { _ in arguments[0] != "query" })
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func validateReportsFileLineAndRuleAndFails() async throws {
        let result = try await run(["validate", RepositoryData.fixtures.appendingPathComponent("bad/non_monotone_input.csv").path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("non_monotone_input.csv:4: error [monotone-input]"))
    }

    @Test func validateAcceptsAShippedTable() async throws {
        let result = try await run(["validate", RepositoryData.directory.tableURL(hardware: "A100").path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("0 error(s)"))
    }

    @Test func queryPrintsTheBreakdownAndTheIterationTime() async throws {
        let result = try await run(["query", "--hardware", "H100", "--model", "meta-llama/Llama-3.1-8B-Instruct", "--phase", "decode", "--kv", "1024", "--batch", "16"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("gate_proj"))
        #expect(result.stdout.contains("iteration:"))
    }

    @Test func interpolatePointQueryAndDenseTable() async throws {
        let point = try await run(["interpolate", "--hardware", "A100", "--model", "qwen/Qwen3-8B", "--layer", "attn", "--input", "1", "--kv", "3000"])
        #expect(point.status == 0 && point.stdout.hasSuffix("ns\n"), "\(point.stderr)")
        let out = try RepositoryData.temporaryFolder().appendingPathComponent("dense.csv")
        let dense = try await run(["interpolate", "--hardware", "A100", "--model", "facebook/opt-6.7b", "--dense", "--max-input", "256", "--out", out.path])
        #expect(dense.status == 0, "\(dense.stderr)")
        let table = try LatencyTable.load(from: out)
        #expect(table.rows.filter { $0.layerName == "fc1" }.map(\.input) == Array(1...256))
    }

    @Test func generateOneModelWithOutWritesOnlyItsRows() async throws {
        let out = try RepositoryData.temporaryFolder().appendingPathComponent("A100.csv")
        #expect(try await run(["generate", "--model", "qwen/Qwen3-8B", "--hardware", "A100", "--out", out.path]).status == 0)
        let table = try LatencyTable.load(from: out)
        #expect(table.models == ["qwen/Qwen3-8B"])
    }

    /// Without --out the model's rows are replaced in place in perf_model/<GPU>.csv: regenerating leaves it as it was.
    @Test func regeneratingOneModelInPlaceKeepsTheTableByteForByte() async throws {
        let data = try RepositoryData.temporaryFolder()
        for folder in ["model_configs", "hardware"] {
            try FileManager.default.copyItem(at: RepositoryData.root.appendingPathComponent(folder), to: data.appendingPathComponent(folder))
        }
        try FileManager.default.createDirectory(at: data.appendingPathComponent("perf_model"), withIntermediateDirectories: true)
        let shipped = RepositoryData.root.appendingPathComponent("perf_model/A100.csv"), copy = data.appendingPathComponent("perf_model/A100.csv")
        try FileManager.default.copyItem(at: shipped, to: copy)
        let perfkit = Tool.url("perfkit").path
        let status = try await onDedicatedThread {
            try ChildProcess(perfkit, ["generate", "--model", "qwen/Qwen3-8B", "--hardware", "A100", "--tp", "2", "--data-dir", data.path],
                             output: data.appendingPathComponent("log")).waitOrKill(seconds: 120)
        }
        #expect(status == 0, "\((try? String(contentsOf: data.appendingPathComponent("log"), encoding: .utf8)) ?? "")")
        #expect(try Data(contentsOf: copy) == Data(contentsOf: shipped))
    }
}
