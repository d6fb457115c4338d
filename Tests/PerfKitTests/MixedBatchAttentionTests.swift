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
        let tiles = mixedBatch.ns(decodes: 32, contextTokens: 32 * 1025, longestContext: 1025, longestChunk: 512)
        #expect(abs(mixed - (prefillOnly + tiles)) <= 1e-9 * mixed)
        #expect(table.blockAttentionNs([chunk] + decodes, mixedBatch: mixedBatch) == mixed)
        // Without split-KV the decodes cost more than in a decode-only batch.
        #expect(mixed - prefillOnly > table.batchAttentionNs(.attn, decodes) - table.attentionNs(.attn, input: 1, kvCache: 0))
    }

    @Test func oneLongDecodeIsBoundByItsSerialWalk() throws {
        let mixedBatch = try Self.mixedBatch()
        let walk = mixedBatch.tileNs + 16_385 * mixedBatch.keyLatencyNs
        #expect(mixedBatch.ns(decodes: 1, contextTokens: 16_385, longestContext: 16_385, longestChunk: 64) == walk)
        #expect(mixedBatch.ns(decodes: 128, contextTokens: 128 * 16_385, longestContext: 16_385, longestChunk: 64) > walk)
    }

    @Test func noQueryHeadStreamsBelowItsKVHeadsDRAMTraffic() throws {
        let gpu = try RepositoryData.gpu("RTXPRO6000")
        var kernel = try #require(gpu.kernels?.attention)
        kernel.mixedL2Efficiency = 4
        for heads in [AttentionKernel.Heads(query: 32, keyValue: 32, dimension: 128, bytesPerElement: 2),
                      AttentionKernel.Heads(query: 32, keyValue: 8, dimension: 128, bytesPerElement: 2)] {
            let mixedBatch = try #require(MixedBatchAttention(kernel: kernel, heads: heads, gpu: gpu))
            for (decodes, context) in [(1, 4096), (64, 2048), (256, 16_384)] {
                let bytes = heads.keyValue * 2 * heads.dimension * heads.bytesPerElement * Double(decodes * context)
                #expect(mixedBatch.ns(decodes: decodes, contextTokens: decodes * context, longestContext: context, longestChunk: 512) >= bytes / gpu.peakBytesPerNs)
                let passes = mixedBatch.dramPasses(decodes: decodes, contextTokens: decodes * context)
                #expect(passes >= 1 && passes <= heads.query / heads.keyValue)
            }
        }
    }

    @Test func aKVGroupSplitAcrossWavesRereadsFromDRAMOnceItsBytesOutgrowL2() throws {
        // RTX 4090, Llama-3.1-8B (4 query heads per KV head), a 512-token chunk beside the decodes (attention.csv):
        // 64 decodes keep a group in one wave, 128 split it; at 1,024 cached tokens one KV head's 67 MB still fit the
        // 72 MB L2, at 2,048 they do not, and the measured time triples (1,545 → 4,579 µs) where the tokens double.
        let gpu = try RepositoryData.gpu("RTX4090")
        let model = try RepositoryData.model("meta-llama/Llama-3.1-8B")
        let mixedBatch = try #require(MixedBatchAttention(model: model, tp: 1, gpu: gpu))
        #expect(mixedBatch.dramPasses(decodes: 64, contextTokens: 64 * 2049) < 1.5)
        #expect(mixedBatch.dramPasses(decodes: 128, contextTokens: 128 * 1025) < 2)
        #expect(mixedBatch.dramPasses(decodes: 128, contextTokens: 128 * 2049) > 2.5)
        let attention = try #require(gpu.kernels?.attention)
        let heads = AttentionKernel.Heads(query: 32, keyValue: 8, dimension: 128, bytesPerElement: 2)
        for (decodes, context, measuredUs) in [(64, 2048, 1236.07), (128, 1024, 1544.91), (128, 2048, 4578.64), (128, 4096, 9090.2)] {
            let batch = [(input: 512, kvCache: 0)] + Array(repeating: (input: 1, kvCache: context), count: decodes)
            let modelled = attention.batchNs(batch, heads: heads, gpu: gpu) / 1_000
            #expect(abs(modelled / measuredUs - 1) < 0.2, "\(decodes) × \(context): \(modelled) µs against \(measuredUs)")
        }
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
        let json = #"{"prefill_efficiency":0.58,"prefill_tile_ns":6800,"decode_efficiency":0.85,"decode_sequence_ns":88,"floor_ns":9800}"#
        let kernel = try JSONDecoder().decode(AttentionKernel.self, from: Data(json.utf8))
        #expect(kernel.mixedL2Efficiency == nil)
        let heads = AttentionKernel.Heads(query: 32, keyValue: 8, dimension: 128, bytesPerElement: 2)
        #expect(MixedBatchAttention(kernel: kernel, heads: heads, gpu: try RepositoryData.gpu("RTXPRO6000")) == nil)
    }
}

/// vLLM 0.19 runs FlashAttention 2 for mixed batches on Ampere, Ada and workstation Blackwell, FlashAttention 3 on
/// Hopper and FlashInfer on datacenter Blackwell, and FlashAttention 2 does not run before Ampere: only the first pay the
/// tile-per-query-head cost.
@Suite struct AttentionBackendTests {
    @Test(arguments: [("A100", true), ("L40S", true), ("RTX4090", true), ("RTXPRO6000", true), ("H100", false), ("H200", false), ("B200", false), ("V100", false), ("T4", false)])
    func mixedBatchTilesApplyOnlyWhereFlashAttention2RunsThem(gpuName: String, tiles: Bool) throws {
        let gpu = try RepositoryData.gpu(gpuName)
        let model = try RepositoryData.model("meta-llama/Llama-3.1-8B")
        #expect(gpu.runsFlashAttention2ForMixedBatches == tiles)
        #expect((MixedBatchAttention(model: model, tp: 1, gpu: gpu) != nil) == tiles)
        // Without the tiles a mixed batch costs its chunk plus its decodes as in a decode-only batch.
        let attention = try #require(gpu.kernels?.attention)
        let heads = AttentionKernel.Heads(query: 32, keyValue: 8, dimension: 128, bytesPerElement: 2)
        let decodes = Array(repeating: (input: 1, kvCache: 2048), count: 128)
        let mixed = attention.batchNs([(input: 512, kvCache: 0)] + decodes, heads: heads, gpu: gpu)
        let apart = attention.batchNs([(input: 512, kvCache: 0)], heads: heads, gpu: gpu) + attention.batchNs(decodes, heads: heads, gpu: gpu) - attention.floorNs
        #expect(tiles ? mixed > apart : abs(mixed - apart) < 1e-6 * apart, "\(gpuName): \(mixed) against \(apart)")
    }
}
