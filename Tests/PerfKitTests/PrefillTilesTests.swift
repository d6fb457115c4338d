import Foundation
import PerfKit
import Testing

/// Prefill chunks as FlashAttention 2's 64-row tiles in waves over the SMs, and the tables' batches built from them
/// (docs/CALIBRATION.md, "Prefill chunks as tiles in waves").
@Suite struct PrefillTilesTests {
    static let heads = AttentionKernel.Heads(query: 32, keyValue: 8, dimension: 128, bytesPerElement: 2)

    @Test func chunksStepUpByWavesOfTiles() throws {
        // RTX PRO 6000, 32 heads, 188 SMs: up to 5 tiles a head is one wave, 7 is two (the bundle: 366-371 µs for 16-273
        // tokens over 16,384 cached ones, 695-700 µs for 410-615).
        let gpu = try RepositoryData.gpu("RTXPRO6000")
        let attention = try #require(gpu.kernels?.attention)
        func ns(_ chunk: Int) -> Double { attention.batchNs([(chunk, 16_384)], heads: Self.heads, gpu: gpu) }
        #expect(ns(273) / ns(16) < 1.05)
        #expect(ns(410) / ns(273) > 1.8 && ns(410) / ns(273) < 2.1)
        #expect(abs(ns(273) / 1e3 - 369) < 0.1 * 369)
        #expect(abs(ns(2_048) / 1e3 - 2_138) < 0.1 * 2_138)
    }

    @Test func withoutAnSMCountTheTilesSpreadOverTheGPU() throws {
        var gpu = try RepositoryData.gpu("RTXPRO6000")
        let attention = try #require(gpu.kernels?.attention)
        let withSMs = attention.batchNs([(2_048, 0)], heads: Self.heads, gpu: gpu)
        gpu.smCount = nil
        let without = attention.batchNs([(2_048, 0)], heads: Self.heads, gpu: gpu)
        #expect(without > 0.5 * withSMs && without < 1.5 * withSMs, "\(without) against \(withSMs)")
    }

    @Test func aTablesBatchOfSeveralChunksIsEachChunksKernel() throws {
        let model = try RepositoryData.model("meta-llama/Llama-3.1-8B-Instruct")
        let gpu = try RepositoryData.gpu("RTXPRO6000")
        let table = try ModelLatencyTable(table: LatencyTable(rows: TableGenerator.rows(model: model, gpu: gpu, tp: 1)), model: model)
        let attention = try #require(gpu.kernels?.attention)
        let chunks = [(input: 256, kvCache: 0), (input: 512, kvCache: 1_024), (input: 16, kvCache: 0)]
        let fromTable = table.batchAttentionNs(.attn, chunks)
        let fromKernel = attention.batchNs(chunks, heads: Self.heads, gpu: gpu)
        #expect(abs(fromTable / fromKernel - 1) < 0.01, "table \(fromTable) ns, kernel \(fromKernel) ns")
        // A decode-only batch pays the split-KV floor once. The table cannot tell the floor from the cheapest decode's own
        // fixed time, so each further decode drops that (about 70 ns here): 2 % at 64 decodes.
        let decodes = Array(repeating: (input: 1, kvCache: 1_024), count: 64)
        #expect(abs(table.batchAttentionNs(.attn, decodes) / attention.batchNs(decodes, heads: Self.heads, gpu: gpu) - 1) < 0.03)
    }

    @Test func anAttentionFitOfTheOlderFormIsRefusedWithWhatToDo() throws {
        let shipped = try String(contentsOf: RepositoryData.directory.hardwareSpecs, encoding: .utf8)
        let older = shipped.replacingOccurrences(of: "\"prefill_tile_ns\"", with: "\"key_latency_ns\"")
        let file = try RepositoryData.temporaryFolder().appendingPathComponent("gpus.json")
        try Data(older.utf8).write(to: file)
        #expect { try GPUCatalog(file: file) } throws: { "\($0)".contains("re-run perfkit calibrate") }
    }

    @Test func aShortChunkMayUndercutTheDecodeRowButChunksStillRise() throws {
        let file = try RepositoryData.temporaryFolder().appendingPathComponent("attn.csv")
        let rows = ["hardware,model,layer_name,input,kv_cache,latency(ns)"] + [(1, 12_000), (2, 8_000), (4, 7_000)].map {
            "A100,meta-llama/Llama-3.1-8B-Instruct,attn,\($0.0),0,\($0.1)"
        }
        try Data((rows.joined(separator: "\n") + "\n").utf8).write(to: file)
        let validator = TableValidator(models: try RepositoryData.models().models, gpus: try RepositoryData.gpus().gpus)
        let falls = try validator.validate(file: file).filter { $0.rule == .monotoneInput }
        #expect(falls.map(\.line) == [4])
    }
}
