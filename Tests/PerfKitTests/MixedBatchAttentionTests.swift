import Foundation
import PerfKit
import Testing

/// A decode sequence in a batch with a prefill chunk costs the GPU's `mixed_decode_factor` times its decode-only
/// attention (vLLM 0.19 runs such a batch without split-KV; docs/CALIBRATION.md).
@Suite struct MixedBatchAttentionTests {
    static func table() throws -> ModelLatencyTable {
        let model = try RepositoryData.model("meta-llama/Llama-3.1-8B-Instruct")
        return try ModelLatencyTable(table: LatencyTable(rows: TableGenerator.rows(model: model, gpu: try RepositoryData.gpu("RTXPRO6000"), tp: 1)), model: model)
    }

    @Test func mixedBatchDecodeAttentionIsTheFactorTimesTheDecodeOnlyOne() throws {
        let table = try Self.table()
        let factor = 2.5
        let decodes = Array(repeating: (input: 1, kvCache: 1024), count: 32)
        let chunk = (input: 512, kvCache: 2048)
        let decodeOnly = table.batchAttentionNs(.attn, decodes, mixedDecodeFactor: factor)
        let prefillOnly = table.batchAttentionNs(.attn, [chunk], mixedDecodeFactor: factor)
        let mixed = table.batchAttentionNs(.attn, [chunk] + decodes, mixedDecodeFactor: factor)
        let unscaled = table.batchAttentionNs(.attn, [chunk] + decodes)
        // Decode-only and prefill-only batches are untouched; in the mixed batch the decodes' share (without the
        // launch, which the chunk already pays) is scaled.
        #expect(decodeOnly == table.batchAttentionNs(.attn, decodes))
        let decodeShare = unscaled - prefillOnly
        #expect(decodeShare > 0)
        #expect(abs(mixed - (prefillOnly + factor * decodeShare)) <= 1e-9 * mixed)
    }

    @Test func iterationCostAppliesTheGPUsFactorOnlyToMixedBatches() throws {
        let table = try Self.table()
        let gpu = try RepositoryData.gpu("RTXPRO6000")
        #expect(gpu.mixedDecodeFactor > 1.5, "RTXPRO6000 fitted mixed_decode_factor \(gpu.mixedDecodeFactor)")
        let plain = IterationCost(table: table, allReduce: AllReduceModel(gpu: gpu))
        let scaled = IterationCost(table: table, allReduce: AllReduceModel(gpu: gpu), mixedDecodeFactor: gpu.mixedDecodeFactor)
        let decodes = Array(repeating: (input: 1, kvCache: 1024), count: 32)
        #expect(scaled.ns(sequences: decodes, emitting: 32) == plain.ns(sequences: decodes, emitting: 32))
        let mixed = [(input: 512, kvCache: 0)] + decodes
        #expect(scaled.ns(sequences: mixed, emitting: 33) > plain.ns(sequences: mixed, emitting: 33))
    }

    @Test func aSpecWithoutTheFactorLoadsWithOne() throws {
        let json = #"{"prefill_efficiency":0.5,"prefill_half_context":40,"key_latency_ns":18,"decode_efficiency":0.85,"decode_sequence_ns":88,"floor_ns":9800}"#
        let kernel = try JSONDecoder().decode(AttentionKernel.self, from: Data(json.utf8))
        #expect(kernel.mixedDecodeFactor == 1)
    }
}
