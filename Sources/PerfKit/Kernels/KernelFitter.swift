import Foundation

/// Fits a GPU's kernel parameters to measured samples: per class, the weighted mean squared log error is minimised
/// (each sample group weighs the same, so a dense sweep does not drown a sparse one).
public enum KernelFitter {
    /// `current` with every class that `samples` measure refitted, on `gpu`'s datasheet peaks.
    public static func fit(_ all: [KernelSample], gpu: GPUSpec, current: KernelParameters, source: String) -> KernelParameters {
        let samples = all.filter(\.isFitted)
        var result = current
        result.source = source
        let gemms = samples.filter { $0.kernelClass == .gemm }
        if !gemms.isEmpty {
            let start = current.gemm ?? GEMMKernel(memoryEfficiency: 0.85, memoryOverheadBytes: 1e5, computeEfficiency: 0.8, computeHalfTokens: 30, floorNs: 4_000)
            let x = minimize(gemms, gpu: gpu, start: [logit(start.memoryEfficiency), log(start.memoryOverheadBytes + 1),
                                                       logit(start.computeEfficiency), log(start.computeHalfTokens + 1), log(start.floorNs)]) {
                KernelParameters(source: "", gemm: gemm($0, exact))
            }
            result.gemm = gemm(x)
        }
        let attentions = samples.filter { $0.kernelClass == .attention }
        if !attentions.isEmpty {
            let start = current.attention ?? AttentionKernel(prefillEfficiency: 0.6, prefillTileNs: 5_000,
                                                             decodeEfficiency: 0.8, decodeSequenceNs: 200, floorNs: 9_000)
            // Per-sequence costs come from batches of one kind; the mixed batches then give only their decodes' tiles.
            let unmixed = attentions.filter { $0.attentionMix != .mixed }, mixed = attentions.filter { $0.attentionMix == .mixed }
            let x = minimize(unmixed.isEmpty ? attentions : unmixed, gpu: gpu,
                             start: [logit(start.prefillEfficiency), log(start.prefillTileNs + 1),
                                     logit(start.decodeEfficiency), log(start.decodeSequenceNs + 1), log(start.floorNs)]) {
                KernelParameters(source: "", attention: attention($0, exact))
            }
            var fitted = attention(x)
            // Only where FlashAttention 2's tiles run mixed batches is there a mixed-batch cost to fit.
            if !unmixed.isEmpty && !mixed.isEmpty && gpu.runsFlashAttention2ForMixedBatches {
                let perSequence = fitted
                let limit = ElementwiseKernel.maxEfficiency
                func kernel(_ x: [Double], _ rounded: (Double) -> Double) -> KernelParameters {
                    var kernel = perSequence
                    kernel.mixedL2Efficiency = rounded(limit * sigmoid(x[0]))
                    kernel.mixedHeadFlops = rounded(exp(x[1]))
                    kernel.mixedTilesPerSM = rounded(exp(x[2]))
                    kernel.mixedEmptyTileNs = rounded(max(0, exp(x[3]) - 1))
                    return KernelParameters(source: "", attention: kernel)
                }
                // Where a KV group splits across waves makes the loss multimodal, so two starts compete.
                let starts = [[2.0, 5e6, 1.0, 500], [3.0, 8e6, 2.0, 2_000]].map { [logit($0[0] / limit), log($0[1]), log($0[2]), log($0[3] + 1)] }
                let mix = bestOfStarts(mixed, gpu: gpu, starts: starts) {
                    kernel($0, exact)
                }
                fitted = kernel(mix, KernelParameters.fourDigits).attention!
            }
            result.attention = fitted
        }
        for kind in ElementwiseKind.allCases {
            let group = samples.filter { $0.kernelClass == .elementwise(kind) }
            guard !group.isEmpty else { continue }
            // Bytes past the L2 share stream from DRAM as the GEMMs' weights do: the GPU's one DRAM efficiency (a
            // profile without GEMMs keeps the 0.9 the fits start from).
            let dram = result.gemm?.memoryEfficiency ?? 0.9
            // The L2 share makes the loss multimodal (where the spill begins), so several starts compete.
            let starts: [[Double]] = [[1, 0.5], [2, 0.25], [3, 0.9], [3.5, 0.1]].map {
                [logit($0[0] / ElementwiseKernel.maxEfficiency), logit($0[1]), log(2_500)]
            }
            let x = bestOfStarts(group, gpu: gpu, starts: starts) { KernelParameters(source: "", elementwise: [kind: elementwise($0, dram: dram, exact)]) }
            result.elementwise[kind] = elementwise(x, dram: dram)
        }
        let peaks = samples.compactMap { MatmulPeak.ratio($0, gpu: gpu) }
        // The rate that minimises the squared log error is the ratios' geometric mean.
        if !peaks.isEmpty { result.matmulPeak = MatmulPeak(efficiency: KernelParameters.fourDigits(KernelParameters.mean(peaks)), source: source) }
        return result
    }

    /// The all-reduce line (latency + bytes over the bus) fitted to measured all-reduces.
    public static func fitAllReduce(_ samples: [KernelSample], gpu: GPUSpec, source: String) -> AllReduceFit? {
        let measured = samples.filter { $0.kernelClass == .allReduce }
        guard !measured.isEmpty else { return nil }
        let start = AllReduceModel(gpu: gpu)
        let x = minimize(measured, gpu: gpu, start: [log(start.latencyNs), log(start.busBytesPerNs)], parameters: { _ in KernelParameters(source: "") },
                         allReduce: { AllReduceModel(busBytesPerNs: exp($0[1]), latencyNs: exp($0[0])) })
        return AllReduceFit(latencyNs: exp(x[0]).rounded(), busGBps: (exp(x[1]) * 10).rounded() / 10, source: source)
    }

    private static func minimize(_ samples: [KernelSample], gpu: GPUSpec, start: [Double],
                                 parameters: @escaping ([Double]) -> KernelParameters,
                                 allReduce: @escaping ([Double]) -> AllReduceModel = { _ in AllReduceModel(busBytesPerNs: 1) }) -> [Double] {
        let weights = groupWeights(samples)
        return NelderMead.minimize({ squaredLogError(samples, weights: weights, gpu: gpu, parameters: parameters($0), allReduce: allReduce($0)) }, start: start)
    }

    /// The weighted sum of squared log errors of `samples` under `parameters`.
    private static func squaredLogError(_ samples: [KernelSample], weights: [Double], gpu: GPUSpec, parameters: KernelParameters,
                                        allReduce: AllReduceModel) -> Double {
        var total = 0.0
        for (index, sample) in samples.enumerated() {
            let modelled = sample.modelledNs(gpu: gpu, parameters: parameters, allReduce: allReduce) ?? sample.measuredNs
            let error = log(modelled / sample.measuredNs)
            total += weights[index] * error * error
        }
        return total.isFinite ? total : .greatestFiniteMagnitude
    }

    /// 1 / (samples in the sample's group), so that every group weighs the same.
    static func groupWeights(_ samples: [KernelSample]) -> [Double] {
        var counts: [String: Int] = [:]
        for sample in samples { counts[sample.group, default: 0] += 1 }
        return samples.map { 1 / Double(counts[$0.group]!) }
    }

    private static func exact(_ value: Double) -> Double { value }

    private static func logit(_ p: Double) -> Double { log(min(max(p, 1e-6), 1 - 1e-6) / (1 - min(max(p, 1e-6), 1 - 1e-6))) }
    private static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    private static func gemm(_ x: [Double], _ rounded: (Double) -> Double = KernelParameters.fourDigits) -> GEMMKernel {
        GEMMKernel(memoryEfficiency: rounded(sigmoid(x[0])), memoryOverheadBytes: rounded(max(0, exp(x[1]) - 1)),
                   computeEfficiency: rounded(sigmoid(x[2])), computeHalfTokens: rounded(max(0, exp(x[3]) - 1)), floorNs: rounded(exp(x[4])))
    }

    private static func attention(_ x: [Double], _ rounded: (Double) -> Double = KernelParameters.fourDigits) -> AttentionKernel {
        AttentionKernel(prefillEfficiency: rounded(sigmoid(x[0])), prefillTileNs: rounded(max(0, exp(x[1]) - 1)),
                        decodeEfficiency: rounded(sigmoid(x[2])), decodeSequenceNs: rounded(max(0, exp(x[3]) - 1)), floorNs: rounded(exp(x[4])))
    }

    /// The L2 share's multiple of DRAM bandwidth up to 4, the share of L2 filled, the floor; `dram` is fixed.
    private static func elementwise(_ x: [Double], dram: Double, _ rounded: (Double) -> Double = KernelParameters.fourDigits) -> ElementwiseKernel {
        ElementwiseKernel(efficiency: dram, l2Efficiency: rounded(ElementwiseKernel.maxEfficiency * sigmoid(x[0])),
                          l2Fraction: rounded(sigmoid(x[1])), floorNs: rounded(exp(x[2])))
    }

    /// `minimize` from each of `starts`, keeping the point of least loss (for losses with several basins).
    private static func bestOfStarts(_ samples: [KernelSample], gpu: GPUSpec, starts: [[Double]],
                                     parameters: @escaping ([Double]) -> KernelParameters) -> [Double] {
        let weights = groupWeights(samples)
        func loss(_ x: [Double]) -> Double {
            squaredLogError(samples, weights: weights, gpu: gpu, parameters: parameters(x), allReduce: AllReduceModel(busBytesPerNs: 1))
        }
        return starts.map { minimize(samples, gpu: gpu, start: $0, parameters: parameters) }.map { ($0, loss($0)) }.min { $0.1 < $1.1 }!.0
    }
}
