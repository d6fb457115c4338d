import Foundation
import PerfKit
import Testing

/// The shipped kernel parameters against the measured kernels they were fitted to, and on held-out GPUs
/// (docs/CALIBRATION.md).
@Suite struct CalibrationTests {
    static let measured = RepositoryData.root.appendingPathComponent("profiles/measured")

    /// Read once: the profiles hold some 190,000 rows.
    static let loaded = Result { try CalibrationInput.samples(at: measured, models: try RepositoryData.models()) }

    static func samples() throws -> CalibrationInput.SamplesByGPU { try loaded.get() }

    static func errors(_ gpuName: String) throws -> CalibrationError {
        let gpu = try RepositoryData.gpu(gpuName)
        let samples = try #require(try Self.samples().first { $0.key.caseInsensitiveCompare(gpuName) == .orderedSame }?.value)
        let parameters = try #require(gpu.kernels)
        return CalibrationError(samples, gpu: gpu, parameters: parameters, allReduce: AllReduceModel(gpu: gpu))
    }

    @Test(arguments: ["RTX4090", "RTXPRO6000", "A100", "H100", "A40"])
    func fittedGEMMsAndElementwiseKernelsMatchTheMeasuredOnes(gpuName: String) throws {
        let errors = try Self.errors(gpuName)
        let gemm = try #require(errors.byClass[.gemm])
        #expect(gemm.medianPercent <= 10, "\(gpuName) GEMM median \(gemm.medianPercent) %")
        // Only vLLM 0.19's element-wise kernels (the bundle GPUs) are fitted; Vidur's are the check below.
        guard gpuName.hasPrefix("RTX") else { return }
        for kind in ElementwiseKind.allCases {
            guard let figure = errors.byClass[.elementwise(kind)] else { continue }
            // One bandwidth per kernel missed by 16-39 % (rotary, SiLU × mul, Qwen3's q/k norm) before the L2-resident share.
            #expect(figure.medianPercent <= 20, "\(gpuName) \(kind) median \(figure.medianPercent) %")
        }
    }

    @Test(arguments: ["A100", "H100", "A40"])
    func vidursUnfusedElementwiseOperatorsAreSlowerThanTheModelledVLLMKernels(gpuName: String) throws {
        // Vidur times older vLLM's unfused RMSNorm, rotary and SiLU × mul; the shipped parameters model vLLM 0.19's
        // fused kernels (derived from the bundle GPUs), which run faster: 2-5x where activations stay in L2 (A100 and
        // H100, 40-50 MB), about 1.3x on A40, whose 6 MB L2 sends both to DRAM at its GEMMs' 80 % of peak bandwidth.
        let gpu = try RepositoryData.gpu(gpuName)
        let parameters = try #require(gpu.kernels)
        let samples = try #require(try Self.samples()[gpuName]).filter { !$0.isFitted }
        #expect(samples.count > 10_000)
        let ratios = samples.compactMap { sample in
            sample.modelledNs(gpu: gpu, parameters: parameters, allReduce: AllReduceModel(gpu: gpu)).map { $0 / sample.measuredNs }
        }.sorted()
        let median = ratios[ratios.count / 2]
        #expect(median > 0.15 && median < 0.9, "\(gpuName) modelled / Vidur-measured element-wise median \(median)")
    }

    @Test(arguments: ["RTX4090", "RTXPRO6000"])
    func fittedAttentionMatchesTheMeasuredBatches(gpuName: String) throws {
        let errors = try Self.errors(gpuName)
        let attention = try #require(errors.byClass[.attention])
        #expect(attention.points > 8_000)
        #expect(attention.medianPercent <= 15, "\(gpuName) attention median \(attention.medianPercent) %")
        // Per-sequence costs are fitted on decode-only and prefill-only batches (they were 26-32 % and 7-10 % while one
        // fit also served the mixed ones), the mixed batches' decodes as one tile per query head in waves that share
        // a KV group's DRAM reads (were 11 % with one L2 multiple per GPU, 14-16 % with one cost factor, 20-22 % before).
        // Prefill chunks as 64-row tiles in waves over the SMs: 10-11 % with a smooth efficiency curve, 3.4-3.5 % now;
        // decode-only 8.4-8.9 → 5.3-5.7 % with the split-KV floor paid by decode-only batches alone.
        let bounds: [AttentionMix: Double] = [.decodeOnly: 7, .prefillOnly: 5, .mixed: 10]
        for (mix, bound) in bounds {
            let figure = try #require(errors.attentionByMix[mix], "\(gpuName) \(mix.rawValue)")
            #expect(figure.medianPercent <= bound, "\(gpuName) attention \(mix.rawValue) median \(figure.medianPercent) %")
        }
    }

    @Test(arguments: ["A100", "H100"])
    func fittedAllReduceFollowsVidursMeasuredCurve(gpuName: String) throws {
        // The shipped curve is fitted to the DGX (NVSwitch) runs; the pairwise-NVLink runs scatter by ±50 %.
        let gpu = try RepositoryData.gpu(gpuName)
        let all = try Self.samples()
        let samples = try #require(all[gpuName]).filter { $0.kernelClass == .allReduce && $0.group.contains("_dgx") }
        let parameters = try #require(gpu.kernels)
        let errors = CalibrationError(samples, gpu: gpu, parameters: parameters, allReduce: AllReduceModel(gpu: gpu))
        let allReduce = try #require(errors.byClass[.allReduce])
        #expect(allReduce.points > 2_000)
        #expect(allReduce.medianPercent <= 15, "\(gpuName) all-reduce median \(allReduce.medianPercent) %")
    }

    @Test func heldOutGPUsArePredictedFromTheOthersFits() throws {
        // Every fourth sample of each group keeps the fits quick in a debug build (square-matmul peaks, a few rows, all
        // kept); the full table is `perfkit calibrate --evaluate`.
        let thinned = try Self.samples().mapValues { samples in
            var seen: [String: Int] = [:]
            return samples.filter { sample in
                defer { seen[sample.group, default: 0] += 1 }
                return sample.kernelClass != .allReduce && (sample.kernelClass == .matmulPeak || seen[sample.group, default: 0] % 4 == 0)
            }
        }
        let rows = try LeaveOneOut.evaluate(thinned, gpus: try RepositoryData.gpus())
        #expect(rows.map(\.gpu) == ["A100", "A40", "B200", "H100", "RTX3090", "RTX4090", "RTX5090", "RTXPRO6000", "T4"])
        // RTX 4090's GEMMs reach 99 % of its datasheet peak, the others 73-77 %: predicted from the datacenter GPUs
        // it missed by 32 %; from the GeForce RTX 3090's square-matmul peak it is within 6 %.
        let gemm = rows.compactMap { $0.error.byClass[.gemm]?.medianPercent }
        #expect(gemm.count == 5)
        #expect(gemm.allSatisfy { $0 <= 15 }, "held-out GEMM medians \(gemm)")
        // A GPU's square-matmul peak, predicted by the GEMM kernel derived for it (2-14 %: serving shapes reach less).
        let peaks = rows.compactMap { row in row.error.byClass[.matmulPeak].map { (row.gpu, $0.medianPercent) } }
        #expect(peaks.count == 7)
        for (gpu, median) in peaks { #expect(median <= 20, "\(gpu) held-out square-matmul peak \(median) %") }
        // vLLM 0.19's element-wise kernels, each bundle GPU predicted from the other alone (was 110-215 % for norm and
        // rotary while Vidur's unfused operators were donors too).
        // SiLU × mul was 36-41 % with one bandwidth per kernel; with the L2-resident share it is 10-24 %.
        let bounds: [ElementwiseKind: Double] = [.norm: 20, .rotary: 30, .activation: 30, .embedding: 25]
        for row in rows {
            if let attention = row.error.byClass[.attention] {
                // Each takes the other's prefill efficiency as a share of its own GEMMs' (77 and 82 % with prefill as
                // 64-row tiles in waves): 8.7 and 12.7 % (19.3 % for RTX PRO 6000 with a smooth prefill curve, 28.4 %
                // with the other's absolute efficiency and one L2 multiple for mixed batches).
                #expect(attention.medianPercent <= 15, "\(row.gpu) held-out attention median \(attention.medianPercent) %")
            }
            guard row.gpu == "RTX4090" || row.gpu == "RTXPRO6000" else { continue }
            for (kind, bound) in bounds {
                let figure = try #require(row.error.byClass[.elementwise(kind)], "\(row.gpu) \(kind)")
                #expect(figure.medianPercent <= bound, "\(row.gpu) held-out \(kind) median \(figure.medianPercent) %")
            }
        }
    }

    @Test(arguments: ["A100", "H100", "A40"])
    func derivedPrefillEfficiencyIsInFlashAttention2sPublishedRange(gpuName: String) throws {
        // The bundle GPUs' prefill tiles reach 77-82 % of what their GEMMs do; on these GPUs' own GEMM fits that is
        // 0.58-0.61 of the datasheet peak, against FlashAttention 2's published 0.5-0.6 for causal 128-dim heads on A100.
        let attention = try #require(try RepositoryData.gpu(gpuName).kernels?.attention)
        #expect(attention.prefillEfficiency >= 0.5 && attention.prefillEfficiency <= 0.65, "\(gpuName) \(attention.prefillEfficiency)")
    }

    @Test func everyShippedGPUHasParametersForEveryKernelClass() throws {
        for gpu in try RepositoryData.gpus().gpus {
            #expect(gpu.kernels?.isComplete == true, "\(gpu.name)")
            #expect(gpu.kernels?.source.isEmpty == false, "\(gpu.name)")
        }
    }

    @Test func aGPUWithoutMeasurementsBorrowsItsArchitecturesFits() throws {
        let h200 = try RepositoryData.gpu("H200"), h100 = try RepositoryData.gpu("H100")
        #expect(h200.kernels?.gemm == h100.kernels?.gemm)
        #expect(h200.kernels?.source.contains("Hopper") == true)
    }

    @Test func calibratingReportsWhatChangesAndKeepsOtherGPUs() throws {
        let catalog = try RepositoryData.gpus()
        let all = try Self.samples()
        let samples = try #require(all["RTX4090"]).filter { $0.kernelClass == .elementwise(.norm) }
        var shifted = samples
        for index in shifted.indices { shifted[index].measuredNs *= 1.5 }
        let calibration = try Calibration(samples: shifted, gpuName: "RTX4090", catalog: catalog, source: "test")
        #expect(calibration.changes.contains { $0.hasPrefix("elementwise.norm.") })
        #expect(!calibration.changes.contains { $0.hasPrefix("gemm.") })
        let before = try #require(calibration.before.byClass[.elementwise(.norm)])
        let after = try #require(calibration.after.byClass[.elementwise(.norm)])
        #expect(after.medianPercent < before.medianPercent)
        #expect(calibration.updatedFile.gpus.count == catalog.declared.count)
        #expect(calibration.updatedFile.gpus.filter { $0.name != "RTX4090" } == catalog.declared.filter { $0.name != "RTX4090" })
    }

    @Test func aMalformedProfileRowNamesItsFileAndLine() throws {
        let folder = try RepositoryData.temporaryFolder().appendingPathComponent("compute/a100/org/model")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("num_tokens,num_tensor_parallel_workers\n1,1,7\n".utf8).write(to: folder.appendingPathComponent("mlp.csv"))
        #expect { try CalibrationInput.samples(at: folder, models: try RepositoryData.models()) } throws: { error in
            "\(error)".contains("mlp.csv:2") && "\(error)".contains("expected 2 fields")
        }
    }
}
