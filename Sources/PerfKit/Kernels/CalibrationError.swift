/// Relative errors of modelled against measured kernel times, per kernel class.
public struct CalibrationError: Sendable, Hashable {
    /// One class's error.
    public struct Figure: Sendable, Hashable {
        public var points: Int
        /// Median |modelled − measured| / measured, %.
        public var medianPercent: Double
        /// Largest such error, %.
        public var maxPercent: Double
    }

    public var byClass: [KernelClass: Figure]
    /// Attention's error split by the batches' mix (decode-only, prefill-only, mixed).
    public var attentionByMix: [AttentionMix: Figure]

    /// The errors of `samples` on `gpu` with `parameters` (classes the parameters lack are left out).
    public init(_ samples: [KernelSample], gpu: GPUSpec, parameters: KernelParameters, allReduce: AllReduceModel) {
        var errors: [KernelClass: [Double]] = [:]
        var mixes: [AttentionMix: [Double]] = [:]
        for sample in samples {
            guard let modelled = sample.modelledNs(gpu: gpu, parameters: parameters, allReduce: allReduce) else { continue }
            let error = abs(modelled / sample.measuredNs - 1) * 100
            errors[sample.kernelClass, default: []].append(error)
            if let mix = sample.attentionMix { mixes[mix, default: []].append(error) }
        }
        byClass = errors.mapValues(Self.figure)
        attentionByMix = mixes.mapValues(Self.figure)
    }

    private static func figure(_ values: [Double]) -> Figure {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        let median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        return Figure(points: sorted.count, medianPercent: median, maxPercent: sorted.last!)
    }
}
