import Foundation
import PerfKit
import Testing

/// Our `lm_head` rows are LLMServingSim's `lm_head` + `sampler`: the GEMM plus the GPU's fitted sampler kernel.
@Suite struct SamplerKernelTests {
    @Test(arguments: ["RTX4090", "RTXPRO6000"])
    func lmHeadRowsHoldTheSamplerAsTheBundlesLMHeadPlusSamplerDo(gpuName: String) throws {
        let gpu = try RepositoryData.gpu(gpuName)
        let model = try RepositoryData.model("meta-llama/Llama-3.1-8B")
        let file = RepositoryData.root.appendingPathComponent("profiles/measured/LLMServingSim/\(gpuName)/meta-llama/Llama-3.1-8B/bf16/tp1/per_sequence.csv")
        var measured: [String: [Int: Double]] = [:]
        for line in try String(contentsOf: file, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst() {
            let cells = line.split(separator: ",")
            measured[String(cells[0]), default: [:]][Int(cells[1])!] = Double(cells[2])! * 1_000
        }
        let sampler = try #require(gpu.kernels?.elementwise[.sampler])
        for sequences in [1, 32, 128, 256] {
            let bundle = try #require(measured["lm_head"]?[sequences]) + (try #require(measured["sampler"]?[sequences]))
            let ours = gpu.modelledNs(layer: .lmHead, model: model, tp: 1, input: sequences, kvCache: 0)
            // Within a quarter: the GEMM's smooth roofline is 20 % slow at RTX PRO 6000's ridge (256 rows of lm_head).
            #expect(abs(ours / bundle - 1) < 0.25, "\(gpuName) \(sequences) sequences: \(ours) ns against \(bundle)")
            let samplerNs = sampler.ns(bytes: ElementwiseKind.samplerBytes(sequences: Double(sequences), vocabSize: model.vocabSize), gpu: gpu)
            #expect(samplerNs > 10_000 && samplerNs < ours / 2)
        }
    }
}
