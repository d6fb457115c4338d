import Foundation
import PerfKit
import TestSupport
import Testing

/// `perfkit import`, `export`, `validate`, `query` and `interpolate` on the shipped measured profiles.
@Suite struct ProfileCLITests {
    func run(_ arguments: [String]) async throws -> Tool.Outcome { try await Tool.run("perfkit", arguments) }
    static let bundle = MeasuredProfileTests.rtx4090.path

    @Test func queryAndInterpolateTakeTheModelAndGPUFromABundle() async throws {
        let query = try await run(["query", "--profile", Self.bundle, "--phase", "decode", "--kv", "1024", "--batch", "8"])
        #expect(query.status == 0, "\(query.stderr)")
        #expect(query.stderr.contains("model meta-llama/Llama-3.1-8B and hardware RTX4090 from the bundle's meta.yaml"))
        let lookup = try await run(["interpolate", "--profile", Self.bundle, "--hardware", "RTX4090", "--layer", "qkv_proj", "--input", "64"])
        #expect(lookup.status == 0 && lookup.stderr.contains("note: model meta-llama/Llama-3.1-8B from"), "\(lookup.stderr)")
        let neither = try await run(["query", "--phase", "decode", "--kv", "1024"])
        #expect(neither.status != 0 && neither.stderr.contains("give --model and --hardware"))
    }

    @Test func importRefusesToOverwriteAFileWithoutForce() async throws {
        let out = try RepositoryData.temporaryFolder().appendingPathComponent("rtx4090.csv")
        try Data("keep me\n".utf8).write(to: out)
        let arguments = ["import", "--from", "lss-bundle", Self.bundle, "--hardware", "RTX4090", "--model", "meta-llama/Llama-3.1-8B", "--out", out.path]
        let refused = try await run(arguments)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("already exists; pass --force"))
        #expect(try String(contentsOf: out, encoding: .utf8) == "keep me\n")
        let forced = try await run(arguments + ["--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try LatencyTable.load(from: out).rows.count == 2123)
    }

    @Test func anExportedBundleSpellsTheModelAsHuggingFaceDoes() async throws {
        // LLMServingSim finds a bundle by <HW>/<org>/<model>: Qwen's org is "Qwen", our config folder "qwen".
        let out = try RepositoryData.temporaryFolder()
        let result = try await run(["export", "--format", "lss-bundle", "--hardware", "RTX4090", "--model", "qwen/Qwen3-8B", "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let meta = out.appendingPathComponent("RTX4090/Qwen/Qwen3-8B/bf16/meta.yaml")
        #expect(try String(contentsOf: meta, encoding: .utf8).contains("model: Qwen/Qwen3-8B"))
    }

    @Test func aFolderHoldingProfilesIsValidatedProfileByProfile() async throws {
        let root = RepositoryData.root.appendingPathComponent("profiles/measured/LLMServingSim/RTXPRO6000").path
        let result = try await run(["validate", root])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("Qwen/Qwen3-32B/bf16: ok") && result.stdout.contains("meta-llama/Llama-3.1-8B/bf16: ok"))
        #expect(result.stdout.contains("2 file(s): 0 error(s)"), "\(result.stdout)")
        // Where one profile is expected, the error names those below.
        let query = try await run(["query", "--hardware", "RTXPRO6000", "--model", "qwen/Qwen3-32B", "--phase", "decode", "--profile", root])
        #expect(query.status != 0)
        #expect(query.stderr.contains("it holds 2 below, give one:"), "\(query.stderr)")
    }

    @Test func importRefusesABundleOfAnotherGPUNamingMetaYAML() async throws {
        let out = try RepositoryData.temporaryFolder().appendingPathComponent("h100.csv")
        let result = try await run(["import", "--from", "lss-bundle", Self.bundle, "--hardware", "H100", "--model", "meta-llama/Llama-3.1-8B", "--out", out.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("meta.yaml:5: the profile was measured on RTX4090, not H100"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func validateReportsFoldersAndExitsZeroWithoutErrors() async throws {
        let result = try await run(["validate", Self.bundle])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("dense.csv:32: warning [monotone-input]: act_fn falls"))
        #expect(result.stdout.contains("1 file(s): 0 error(s)"))
    }

    @Test func queryAndInterpolateReadTheMeasuredProfile() async throws {
        let query = try await run(["query", "--hardware", "RTX4090", "--model", "meta-llama/Llama-3.1-8B", "--profile", "measured", "--phase", "decode", "--kv", "1024", "--batch", "8"])
        #expect(query.status == 0, "\(query.stderr)")
        #expect(query.stdout.contains("attention       prefill_chunk=0 kv_prefill=0 n_decode=8 kv_decode=1024"))
        #expect(query.stdout.contains("sampler"))
        let point = try await run(["interpolate", "--hardware", "RTX4090", "--model", "meta-llama/Llama-3.1-8B", "--profile", Self.bundle,
                                   "--layer", "attention", "--input", "0", "--n-decode", "8", "--kv-decode", "1024"])
        #expect(point.stdout == "55582 ns\n", "\(point.stderr)")
    }
}
