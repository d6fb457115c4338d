import Foundation
import PerfKit
import Testing

/// LLMServingSim bundles and Vidur folders from `profiles/measured/`, read and looked up as their own code does.
@Suite struct MeasuredProfileTests {
    static let bundles = RepositoryData.root.appendingPathComponent("profiles/measured/LLMServingSim")
    static let rtx4090 = bundles.appendingPathComponent("RTX4090/meta-llama/Llama-3.1-8B")
    static let vidur = RepositoryData.root.appendingPathComponent("profiles/measured/vidur/compute")

    /// Expected values from LLMServingSim's own `_lookup_attention` (serving/core/trace_generator.py at commit
    /// 5daddb2), run by Python on this bundle's attention.csv.
    @Test(arguments: [
        ([0, 0, 8, 1024], 55582.0, false), ([0, 0, 8, 1000], 54642, false), ([512, 0, 0, 0], 41075, false),
        ([300, 700, 3, 1500], 107863, false), ([2048, 0, 128, 16384], 36159500, false),
        ([3000, 100, 300, 20000], 44071639, true), ([100, 50, 200, 5000], 7946318, true),
    ])
    func attentionLookupsEqualLLMServingSimsOwn(key: [Int], ns: Double, extrapolated: Bool) throws {
        let profile = try BundleReader.read(Self.rtx4090, tp: 1, model: "meta-llama/Llama-3.1-8B")
        let looked = try #require(profile.attention).lookup(prefillChunk: key[0], kvPrefill: key[1], decodeCount: key[2], kvDecode: key[3])
        #expect(looked.ns == ns)
        #expect(looked.extrapolated == extrapolated)
    }

    /// Expected values from their `_lookup_dense` (`_lookup_1d`, truncated to whole ns) on this bundle's dense.csv.
    @Test(arguments: [("qkv_proj", 8, 56124.0), ("qkv_proj", 100, 69043), ("gate_up_proj", 1000, 1454005), ("down_proj", 3000, 1481565), ("layernorm", 0, 1851)])
    func denseLookupsEqualLLMServingSimsOwn(layer: String, tokens: Int, ns: Double) throws {
        let profile = try BundleReader.read(Self.rtx4090, tp: 1)
        let curve = try #require(profile.denseLayer(layer)).curve
        #expect(curve.ns(at: tokens) == ns)
        #expect(curve.covers(tokens) == (tokens >= 1 && tokens <= 2048))
    }

    @Test func modelIDsMatchWithoutRegardToCase() throws {
        let profile = try BundleReader.read(Self.bundles.appendingPathComponent("RTXPRO6000/Qwen/Qwen3-32B/bf16"), tp: 2, model: "qwen/Qwen3-32B")
        #expect(profile.modelID == "Qwen/Qwen3-32B")
        #expect(profile.skewAlpha == 0.0649)
        #expect(profile.meta?.maxNumBatchedTokens == 2048)
        #expect(profile.meta?.tpDegrees == [1, 2])
    }

    @Test func aMetaYAMLNamingAnotherModelIsRefusedAtItsLine() throws {
        #expect {
            try BundleReader.read(Self.rtx4090, tp: 1, model: "qwen/Qwen3-8B")
        } throws: { error in
            "\(error)".contains("meta.yaml:9: the bundle was profiled for meta-llama/Llama-3.1-8B, not qwen/Qwen3-8B")
        }
    }

    /// A copy of the RTX4090 bundle with one file changed, and the error each change must give.
    @Test(arguments: [
        ("attention.csv", nil, "attention.csv: missing file"),
        ("dense.csv", "act_fn,2,fast\n", "dense.csv:3:10: time_us must be a number, found \"fast\""),
        ("dense.csv", "act_fn,2,-3.1\n", "dense.csv:3:10: time_us must not be negative"),
        ("dense.csv", "act_fn,2,0\n", "dense.csv:3:10: time_us must be positive"),
        ("attention.csv", "0,0,2,16,0.0\n", "attention.csv:3:10: time_us must be positive"),
        ("dense.csv", "act_fn,1,2.5\n", "dense.csv:3: duplicate key (act_fn, tokens=1); first at line 2"),
        ("per_sequence.csv", "lm_head,x,1\n", "per_sequence.csv:3:9: sequences must be a non-negative integer"),
        ("attention.csv", "0,0,1,16,9.31067\n", "attention.csv:3: duplicate key (0,0,1,16); first at line 2"),
        ("attention.csv", "0,0,1\n", "attention.csv:3:1: expected 5 fields"),
    ] as [(String, String?, String)])
    func badBundleFilesNameFileAndLine(file: String, secondRow: String?, message: String) throws {
        let folder = try copyOfBundle()
        let target = folder.appendingPathComponent("tp1/\(file)")
        if let secondRow {
            let lines = try String(contentsOf: target, encoding: .utf8).split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            try (lines.prefix(2).joined(separator: "\n") + "\n" + secondRow).write(to: target, atomically: true, encoding: .utf8)
        } else {
            try FileManager.default.removeItem(at: target)
        }
        #expect {
            try BundleReader.read(folder, tp: 1, model: "meta-llama/Llama-3.1-8B")
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func metaYAMLOutsideTheSubsetIsAnErrorAtItsLine() throws {
        #expect {
            try BundleMeta(text: "hardware: X\nmodel: a/b\n  - item\n", file: "meta.yaml")
        } throws: { error in
            "\(error)" == "meta.yaml:3:3: block lists are not supported; write [a, b]"
        }
        #expect {
            try BundleMeta(text: "hardware: X\nhardware: Y\n", file: "meta.yaml")
        } throws: { error in
            "\(error)" == "meta.yaml:2: duplicate key \"hardware\""
        }
    }

    @Test func vidurOperatorsLoadForAModelOfTheSameShape() throws {
        let model = try RepositoryData.model("meta-llama/Llama-3.1-70B-Instruct")
        let profile = try VidurReader.read(Self.vidur.appendingPathComponent("h100/meta-llama/Llama-2-70b-hf"), tp: 4, model: model)
        #expect(profile.hardware == "h100")
        #expect(profile.dense.count == 1 + VidurReader.blockOperators.count)
        // 4096 tokens was measured twice at tp 4 (lines 525 and 590: 1.361 and 1.348 ms): the mean is used.
        #expect(profile.denseLayer("mlp_up_proj")!.curve.upperBound == 4096)
        #expect(profile.notes.contains { $0.contains("averaged") })
    }

    @Test func vidurOperatorsOfAnotherShapeAreRefusedAtTheCell() throws {
        let model = try RepositoryData.model("meta-llama/Llama-3.1-8B")
        #expect {
            try VidurReader.read(Self.vidur.appendingPathComponent("a100/meta-llama/Llama-2-7b-hf"), tp: 1, model: model)
        } throws: { error in
            "\(error)".contains("mlp.csv:2:") && "\(error)".contains("n_kv_head is 32 but meta-llama/Llama-3.1-8B has num_key_value_heads 8")
        }
    }

    @Test func theShippedProfilesValidateWithoutErrors() throws {
        let validator = ProfileValidator(models: try RepositoryData.models().models, gpus: try RepositoryData.gpus().gpus)
        for folder in [Self.rtx4090, Self.bundles.appendingPathComponent("RTXPRO6000/Qwen/Qwen3-32B"), Self.vidur.appendingPathComponent("h100/meta-llama/Llama-2-70b-hf")] {
            let errors = validator.validate(folder: folder).filter { $0.severity == .error }
            #expect(errors.isEmpty, "\(errors.prefix(3))")
        }
    }

    @Test func aRowUnderTheFloorIsAnErrorNamingItsLine() throws {
        let folder = try copyOfBundle()
        let dense = folder.appendingPathComponent("tp1/dense.csv")
        let text = try String(contentsOf: dense, encoding: .utf8).replacingOccurrences(of: "\ngate_up_proj,1,247.292", with: "\ngate_up_proj,1,24.7292")
        try text.write(to: dense, atomically: true, encoding: .utf8)
        let findings = ProfileValidator(models: try RepositoryData.models().models, gpus: try RepositoryData.gpus().gpus).validate(folder: folder)
        let floor = try #require(findings.first { $0.rule == .physicalFloor && $0.severity == .error })
        #expect(floor.line == 610)
        #expect(floor.message.contains("gate_up_proj at 1: 24729 ns is below RTX4090's floor"))
    }

    func copyOfBundle() throws -> URL {
        let folder = try RepositoryData.temporaryFolder().appendingPathComponent("bf16")
        try FileManager.default.copyItem(at: Self.rtx4090.appendingPathComponent("bf16"), to: folder)
        return folder
    }
}
