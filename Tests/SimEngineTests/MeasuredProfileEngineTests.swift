import Foundation
import PerfKit
import SimEngine
import TestSupport
import Testing

/// The engine on LLMServingSim's measured bundles (`profiles/measured/`), through the latency-source seam.
@Suite struct MeasuredProfileEngineTests {
    static let model = "meta-llama/Llama-3.1-8B"

    @Test func simulateRunsEndToEndOnTheMeasuredRTX4090Bundle() async throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("simulate-\(UUID().uuidString)")
        let result = try await Tool.run("simulate", [
            "--hardware", "RTX4090", "--model", Self.model, "--profile", "measured", "--rate", "4", "--requests", "100",
            "--max-num-batched-tokens", "2048", "--out", out.path, "--no-progress",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("requests: 100 completed"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("summary.json").path))
    }

    @Test func aBundleGivenByPathServesTheModelItMeasuredUnlessToldOtherwise() async throws {
        // The measured-profiles issue's own command: LLMServingSim's trace on their RTX 4090 bundle, no --model.
        let root = Tool.repositoryRoot
        let bundle = root.appendingPathComponent("profiles/measured/LLMServingSim/RTX4090/meta-llama/Llama-3.1-8B").path
        let trace = root.appendingPathComponent("runs/LLMServingSim/workloads/sharegpt-llama-3.1-8b-300-sps10.jsonl").path
        let result = try await Tool.run("simulate", [
            "run", "--trace", trace, "--hardware", "RTX4090", "--profile", bundle, "--max-num-batched-tokens", "2048", "--no-progress",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("note: model meta-llama/Llama-3.1-8B from the bundle's meta.yaml"), "\(result.stderr)")
        #expect(result.stdout.contains("meta-llama/Llama-3.1-8B on RTX4090") && result.stdout.contains("requests: 300 completed"))
        // A --model the bundle did not measure is still refused, naming meta.yaml's line.
        let other = try await Tool.run("simulate", ["run", "--profile", bundle, "--model", "qwen/Qwen3-8B", "--requests", "5", "--no-progress"])
        #expect(other.status != 0)
        #expect(other.stderr.contains("meta.yaml:9") && other.stderr.contains("not qwen/Qwen3-8B"), "\(other.stderr)")
    }

    @Test func measuredFindsAVidurProfileOfAnotherModelOfTheSameShape() async throws {
        // Vidur measured Llama-2-70b-hf, whose operators have Llama-3.1-70B's shapes (80 layers, 8,192 wide, 8 KV heads).
        let result = try await Tool.run("simulate", [
            "--hardware", "H100", "--model", "meta-llama/Llama-3.1-70B-Instruct", "--tp", "4", "--profile", "measured", "--requests", "20", "--no-progress",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("latencies: Vidur profile") && result.stderr.contains("vidur/compute/h100/meta-llama/Llama-2-70b-hf tp4"), "\(result.stderr)")
    }

    @Test func aProfileThatIsNotShippedListsWhatIs() throws {
        #expect {
            try TestEngines.loader.engine(model: "qwen/Qwen3-8B", hardware: "H100", profile: "measured")
        } throws: { error in
            "\(error)".contains("no measured profile for qwen/Qwen3-8B on H100 at tp=1; shipped: RTX4090 meta-llama/Llama-3.1-8B tp1; RTXPRO6000")
        }
    }

    @Test func aBundleOfAnotherGPUIsRefused() throws {
        let bundle = TestEngines.root.appendingPathComponent("profiles/measured/LLMServingSim/RTX4090/meta-llama/Llama-3.1-8B").path
        #expect {
            try TestEngines.loader.engine(model: Self.model, hardware: "A100", profile: bundle)
        } throws: { error in
            "\(error)".contains("meta.yaml:5: the bundle was measured on RTX4090, not A100: pass --hardware RTX4090")
        }
    }

    /// A lone request's TTFT is its prefill iteration and its E2E adds one decode iteration per later token, each
    /// timed by the bundle (plus the engine profile's host time; the bundle carries its own sampler).
    @Test func aLoneRequestIsTimedByTheBundle() throws {
        var engine = try TestEngines.loader.engine(model: Self.model, hardware: "RTX4090", profile: "measured")
        let source = engine.latencySource
        #expect(source is MeasuredLatencySource)
        func iterationNs(_ sequences: [(input: Int, kvCache: Int)]) -> Int64 {
            engine.config.engine.stepNs(
                gpuNs: Int64(source.iteration(sequences: sequences, emitting: 1).ns.rounded(.up)), sequences: 1)
        }
        let record = try #require(TestEngines.records(&engine, [RequestSpec(id: 0, inputTokens: 512, outputTokens: 3, arrival: .zero)])[0])
        #expect(record.ttft.nanoseconds == iterationNs([(512, 0)]))
        #expect(record.latency.nanoseconds == iterationNs([(512, 0)]) + iterationNs([(1, 512)]) + iterationNs([(1, 513)]))
    }

    /// Decodes of different lengths: one lookup at the mean length, corrected toward the longest by the bundle's alpha
    /// (LLMServingSim's `_lookup_attention_with_skew` with its `alpha_default`, 0.0543 for this bundle at tp 1).
    @Test func spreadDecodesAreSkewCorrectedByTheBundlesAlpha() throws {
        let (source, _) = try TestEngines.loader.source(model: Self.model, hardware: "RTXPRO6000", tp: 1, profile: "measured")
        let measured = try #require(source as? MeasuredLatencySource)
        let grid = try #require(measured.profile.attention)
        let mean = grid.lookup(prefillChunk: 0, kvPrefill: 0, decodeCount: 2, kvDecode: 2500).ns
        let longest = grid.lookup(prefillChunk: 0, kvPrefill: 0, decodeCount: 2, kvDecode: 4000).ns
        #expect(measured.bundleAttention([(1, 1000), (1, 4000)]).ns == (mean + 0.0543 * (longest - mean)).rounded(.toNearestOrEven))
        #expect(measured.bundleAttention([(1, 2500), (1, 2500)]).ns == mean)
    }
}
