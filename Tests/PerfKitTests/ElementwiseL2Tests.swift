import Foundation
import PerfKit
import Testing

/// Element-wise kernels as a floor plus an L2-resident share of their bytes and the rest at DRAM bandwidth
/// (docs/CALIBRATION.md), and the measured rows they are fitted to.
@Suite struct ElementwiseL2Tests {
    static let kernel = ElementwiseKernel(efficiency: 0.9, l2Efficiency: 3, l2Fraction: 0.5, floorNs: 2_000)

    static func gpu(l2CacheMB: Double?) throws -> GPUSpec {
        var gpu = try RepositoryData.gpu("RTX4090")
        gpu.l2CacheMB = l2CacheMB
        return gpu
    }

    @Test func bytesWithinTheL2ShareMoveAtItsBandwidthAndTheRestAtDRAMs() throws {
        let gpu = try Self.gpu(l2CacheMB: 72)
        let share = 0.5 * 72 * 1_048_576
        let inside = Self.kernel.ns(bytes: share / 2, gpu: gpu)
        #expect(abs(inside - (2_000 + share / 2 / (gpu.peakBytesPerNs * 3))) < 1e-6)
        let outside = Self.kernel.ns(bytes: share + 1e8, gpu: gpu)
        #expect(abs(outside - (2_000 + share / (gpu.peakBytesPerNs * 3) + 1e8 / (gpu.peakBytesPerNs * 0.9))) < 1e-6)
        // Continuous where the spill begins, and never faster with more bytes.
        let below = Self.kernel.ns(bytes: share - 1, gpu: gpu), above = Self.kernel.ns(bytes: share + 1, gpu: gpu)
        #expect(above > below && above - below < 1)
        var previous = 0.0
        for bytes in stride(from: 0.0, through: 4 * share, by: share / 16) {
            let ns = Self.kernel.ns(bytes: bytes, gpu: gpu)
            #expect(ns >= previous)
            previous = ns
        }
    }

    @Test func aSmallerL2SpillsSoonerAndAGPUWithoutOneStreamsEverythingFromDRAM() throws {
        let bytes = 200e6
        let large = Self.kernel.ns(bytes: bytes, gpu: try Self.gpu(l2CacheMB: 128))
        let small = Self.kernel.ns(bytes: bytes, gpu: try Self.gpu(l2CacheMB: 6))
        let none = try Self.gpu(l2CacheMB: nil)
        #expect(large < small)
        #expect(abs(Self.kernel.ns(bytes: bytes, gpu: none) - (2_000 + bytes / (none.peakBytesPerNs * 0.9))) < 1e-6)
    }

    @Test func shippedElementwiseRowsPastL2AreBoundByDRAMBandwidth() throws {
        // A fused RMSNorm of 8,192 Llama-3.1-8B tokens moves 268 MB: past every shipped GPU's L2, so most of it is DRAM
        // traffic (one bandwidth per kernel had RTX 4090 at 2.7x its DRAM bandwidth here).
        let bytes = 4.0 * 8_192 * 4_096 * 2
        for gpu in try RepositoryData.gpus().gpus {
            let norm = try #require(gpu.kernels?.elementwise[.norm], "\(gpu.name)")
            let ns = norm.ns(bytes: bytes, gpu: gpu)
            #expect(ns >= (bytes - gpu.l2CacheBytes) / gpu.peakBytesPerNs, "\(gpu.name): \(ns) ns")
            #expect(gpu.l2CacheMB != nil, "\(gpu.name) has no l2_cache_mb")
        }
    }

    @Test func rowsTheProfilerCopiedFromTp1AreNotSamplesOfTheirOwn() throws {
        // LLMServingSim's profiler measures tp_stable layers (norms, Qwen3's qk_norm) at tp 1 and copies their rows into
        // every other tp folder: the tp 2 qk_norm rows time tp 1's heads.
        let samples = try #require(try CalibrationTests.samples()["RTXPRO6000"])
        let groups = Set(samples.map(\.group))
        #expect(groups.contains("RTXPRO6000/qwen/Qwen3-32B/tp1 qk_norm"))
        #expect(groups.contains("RTXPRO6000/qwen/Qwen3-32B/tp2 rotary_emb"))
        #expect(!groups.contains("RTXPRO6000/qwen/Qwen3-32B/tp2 qk_norm"))
        #expect(!groups.contains("RTXPRO6000/meta-llama/Llama-3.1-8B/tp2 layernorm"))
    }

    @Test func aNegativeL2SizeIsRefusedNamingTheGPUAndField() throws {
        let original = try Data(contentsOf: RepositoryData.directory.hardwareSpecs)
        var text = try #require(String(data: original, encoding: .utf8))
        text = text.replacingOccurrences(of: "\"l2_cache_mb\" : 72", with: "\"l2_cache_mb\" : -72")
        let file = try RepositoryData.temporaryFolder().appendingPathComponent("gpus.json")
        try Data(text.utf8).write(to: file)
        #expect {
            _ = try GPUCatalog(file: file)
        } throws: { error in
            "\(error)".contains("RTX4090") && "\(error)".contains("l2_cache_mb")
        }
    }
}
