import Foundation
import PerfKit
import Testing

/// Decodes in a batch with a prefill chunk cost as `MixedBatchAttention` has it: one tile per query head without
/// split-KV, bounded below by the longest decode's serial walk (docs/CALIBRATION.md).
@Suite struct MixedBatchAttentionTests {
    static func table() throws -> ModelLatencyTable {
        let model = try RepositoryData.model("meta-llama/Llama-3.1-8B-Instruct")
        return try ModelLatencyTable(table: LatencyTable(rows: TableGenerator.rows(model: model, gpu: try RepositoryData.gpu("RTXPRO6000"), tp: 1)), model: model)
    }

    static func mixedBatch() throws -> MixedBatchAttention {
        let model = try RepositoryData.model("meta-llama/Llama-3.1-8B-Instruct")
        return try #require(MixedBatchAttention(model: model, tp: 1, gpu: try RepositoryData.gpu("RTXPRO6000")))
    }

    @Test func mixedBatchDecodesCostTheirTilesAndOnlyInMixedBatches() throws {
        let table = try Self.table(), mixedBatch = try Self.mixedBatch()
        let decodes = Array(repeating: (input: 1, kvCache: 1024), count: 32)
        let chunk = (input: 512, kvCache: 2048)
        #expect(table.batchAttentionNs(.attn, decodes, mixedBatch: mixedBatch) == table.batchAttentionNs(.attn, decodes))
        #expect(table.batchAttentionNs(.attn, [chunk], mixedBatch: mixedBatch) == table.batchAttentionNs(.attn, [chunk]))
        let prefillOnly = table.batchAttentionNs(.attn, [chunk])
        let mixed = table.batchAttentionNs(.attn, [chunk] + decodes, mixedBatch: mixedBatch)
        let tiles = mixedBatch.ns(decodes: 32, contextTokens: 32 * 1025, longestContext: 1025)
        #expect(abs(mixed - (prefillOnly + tiles)) <= 1e-9 * mixed)
        #expect(table.blockAttentionNs([chunk] + decodes, mixedBatch: mixedBatch) == mixed)
        // Without split-KV the decodes cost more than in a decode-only batch.
        #expect(mixed - prefillOnly > table.batchAttentionNs(.attn, decodes) - table.attentionNs(.attn, input: 1, kvCache: 0))
    }

    @Test func oneLongDecodeIsBoundByItsSerialWalk() throws {
        let mixedBatch = try Self.mixedBatch()
        let walk = 16_385 * mixedBatch.keyLatencyNs
        #expect(mixedBatch.ns(decodes: 1, contextTokens: 16_385, longestContext: 16_385) == walk)
        #expect(mixedBatch.ns(decodes: 128, contextTokens: 128 * 16_385, longestContext: 16_385) > walk)
    }

    @Test func noQueryHeadStreamsBelowItsKVHeadsDRAMTraffic() throws {
        let gpu = try RepositoryData.gpu("RTXPRO6000")
        var kernel = try #require(gpu.kernels?.attention)
        kernel.mixedHeadBandwidth = 4
        let heads = AttentionKernel.Heads(query: 32, keyValue: 32, dimension: 128, bytesPerElement: 2)
        let mixedBatch = try #require(MixedBatchAttention(kernel: kernel, heads: heads, gpu: gpu))
        #expect(mixedBatch.perTokenNs >= 32 * 2 * 128 * 2 / gpu.peakBytesPerNs)
    }

    @Test func iterationCostAppliesTheGPUsFitOnlyToMixedBatches() throws {
        let table = try Self.table()
        let gpu = try RepositoryData.gpu("RTXPRO6000")
        let plain = IterationCost(table: table, allReduce: AllReduceModel(gpu: gpu))
        let fitted = IterationCost(table: table, gpu: gpu)
        #expect(fitted.mixedBatch != nil)
        let decodes = Array(repeating: (input: 1, kvCache: 1024), count: 32)
        #expect(fitted.ns(sequences: decodes, emitting: 32) == plain.ns(sequences: decodes, emitting: 32))
        let mixed = [(input: 512, kvCache: 0)] + decodes
        #expect(fitted.ns(sequences: mixed, emitting: 33) > plain.ns(sequences: mixed, emitting: 33))
    }

    @Test func aSpecWithoutTheMixedFitCostsMixedDecodesAsTheirRows() throws {
        let json = #"{"prefill_efficiency":0.5,"prefill_half_context":40,"key_latency_ns":18,"decode_efficiency":0.85,"decode_sequence_ns":88,"floor_ns":9800}"#
        let kernel = try JSONDecoder().decode(AttentionKernel.self, from: Data(json.utf8))
        #expect(kernel.mixedHeadBandwidth == nil)
        let heads = AttentionKernel.Heads(query: 32, keyValue: 8, dimension: 128, bytesPerElement: 2)
        #expect(MixedBatchAttention(kernel: kernel, heads: heads, gpu: try RepositoryData.gpu("RTXPRO6000")) == nil)
    }
}
