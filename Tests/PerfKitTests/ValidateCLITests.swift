import Foundation
import PerfKit
import TestSupport
import Testing

/// `perfkit validate` and `interpolate --dense` as a user runs them.
@Suite struct ValidateCLITests {
    func perfkit(_ arguments: [String]) async throws -> Tool.Outcome { try await Tool.run("perfkit", arguments) }

    @Test func aDenseTableByDefaultCoversWhatTheSchedulerNeeds() async throws {
        let out = try RepositoryData.temporaryFolder().appendingPathComponent("dense.csv")
        let written = try await perfkit(["interpolate", "--hardware", "A100", "--model", "qwen/Qwen3-8B", "--dense", "--out", out.path])
        #expect(written.status == 0, "\(written.stderr)")
        let checked = try await perfkit(["validate", out.path])
        #expect(checked.status == 0, "\(checked.stdout)")
        #expect(checked.stdout.contains("0 error(s)"))
    }

    @Test func queryAddsTheHostOverheadAndSaysWhenItExtrapolated() async throws {
        let base = ["query", "--hardware", "A100", "--model", "qwen/Qwen3-8B", "--phase", "prefill", "--input", "8192", "--batch", "64"]
        let result = try await perfkit(base + ["--cpu-overhead-ms", "1.5"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("as simulate times it: kernels"), "\(result.stdout)")
        #expect(result.stdout.contains("+ host of engine vllm-0.19 not overlapped"), "\(result.stdout)")
        let slowHost = try await perfkit(["query", "--hardware", "A100", "--model", "qwen/Qwen3-8B", "--phase", "decode", "--kv", "1000", "--cpu-overhead-ms", "50"])
        #expect(slowHost.stdout.contains("iteration: 50.0"), "a host slower than the GPU sets the step: \(slowHost.stdout)")
        #expect(result.stdout.contains("warning: past the table's points, extrapolated: "), "\(result.stdout)")
        let inside = try await perfkit(["query", "--hardware", "A100", "--model", "qwen/Qwen3-8B", "--phase", "decode", "--kv", "1000"])
        #expect(!inside.stdout.contains("extrapolated"), "\(inside.stdout)")
    }

    @Test func aHeaderOnlyTableIsAnError() async throws {
        let file = try RepositoryData.temporaryFolder().appendingPathComponent("empty.csv")
        try Data("hardware,model,layer_name,input,kv_cache,latency(ns)\n".utf8).write(to: file)
        let result = try await perfkit(["validate", file.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("error [schema]: no rows"), "\(result.stdout)")
    }

    @Test func errorsComeBeforeWarningsAndCoverageCanBeTurnedOff() async throws {
        let file = try RepositoryData.temporaryFolder().appendingPathComponent("mixed.csv")
        try Data("""
            hardware,model,layer_name,input,kv_cache,latency(ns)
            A100,acme/Unknown,q_proj,1,0,10
            A100,qwen/Qwen3-8B,q_proj,1,0,-5

            """.utf8).write(to: file)
        let result = try await perfkit(["validate", file.path])
        let lines = result.stdout.split(separator: "\n")
        let error = try #require(lines.firstIndex { $0.contains(": error [positive-latency]") })
        let warning = try #require(lines.firstIndex { $0.contains(": warning ") })
        #expect(error < warning, "\(result.stdout)")
        let coverage = try #require(lines.firstIndex { $0.contains("error [coverage]") })
        #expect(error < coverage)
        let excerpt = RepositoryData.fixtures.appendingPathComponent("llmservingsim_excerpt.csv").path
        let partial = try await perfkit(["validate", "--no-coverage", excerpt])
        #expect(!partial.stdout.contains("[coverage]"))
        #expect(partial.stdout.split(separator: "\n").dropLast().allSatisfy { $0.contains("[physical-floor]") }, "\(partial.stdout)")
    }
}
