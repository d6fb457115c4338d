/// The element-wise kernels vLLM runs, each one fused kernel.
public enum ElementwiseKind: String, Sendable, Hashable, Codable, CaseIterable, CodingKeyRepresentable {
    /// RMSNorm (with the residual add where vLLM fuses it).
    case norm
    /// Rotary position embedding of q and k, in place.
    case rotary
    /// SiLU × mul (gated MLPs) or ReLU.
    case activation
    /// The token-embedding gather.
    case embedding
    /// Qwen3's per-head RMSNorm of q and k, one kernel for both.
    case qkNorm = "qk_norm"
    /// vLLM's sampler over the batch's logits (temperature, softmax, random sampling): its few kernels timed as one,
    /// the floor carrying their launches, by `samplerBytes`.
    case sampler

    /// The bytes the sampler is timed by: two passes over the fp32 logits of the whole vocabulary (gathered from the
    /// tp shards) for each sequence that samples. Two passes fit LLMServingSim's measured samplers best (one or three
    /// missed by 13-26 % or 7-26 %).
    public static func samplerBytes(sequences: Double, vocabSize: Int) -> Double {
        2 * sequences * Double(vocabSize) * 4
    }
}

/// Fitted parameters of one element-wise kernel: a floor plus its bytes, those that stay in the L2 cache (activations
/// the previous kernel just wrote) at a multiple of DRAM bandwidth and the rest at DRAM bandwidth.
public struct ElementwiseKernel: Sendable, Hashable, Codable {
    /// Fraction of peak DRAM bandwidth reached by the bytes past the L2-resident share: the GPU's DRAM streaming
    /// efficiency, the GEMM fit's `memory_efficiency` (above 1 only in spec files without the L2 term).
    public var efficiency: Double
    /// Bytes per ns of the L2-resident share as a multiple of peak DRAM bandwidth (at most 4, the physical-floor
    /// rule's bound for element-wise layers); nil: no L2 term.
    public var l2Efficiency: Double?
    /// Share of the GPU's L2 capacity the kernel's bytes fill before they spill to DRAM, in [0, 1].
    public var l2Fraction: Double?
    /// Time of the kernel at no bytes (launch, one wave), ns.
    public var floorNs: Double

    enum CodingKeys: String, CodingKey {
        case efficiency, l2Efficiency = "l2_efficiency", l2Fraction = "l2_fraction", floorNs = "floor_ns"
    }

    /// A kernel of these parameters; without `l2Efficiency` and `l2Fraction` every byte moves at `efficiency`.
    public init(efficiency: Double, l2Efficiency: Double? = nil, l2Fraction: Double? = nil, floorNs: Double) {
        self.efficiency = efficiency
        self.l2Efficiency = l2Efficiency
        self.l2Fraction = l2Fraction
        self.floorNs = floorNs
    }

    /// The largest multiple of DRAM bandwidth allowed: element-wise rows may not beat a quarter of their bytes at
    /// peak bandwidth.
    public static let maxEfficiency = 4.0

    /// Time of the kernel moving `bytes` on `gpu`, ns.
    public func ns(bytes: Double, gpu: GPUSpec) -> Double {
        let dram = gpu.peakBytesPerNs * min(efficiency, Self.maxEfficiency)
        guard let l2Efficiency, let l2Fraction else { return bytes / dram + floorNs }
        let resident = min(bytes, l2Fraction * gpu.l2CacheBytes)
        return resident / (gpu.peakBytesPerNs * min(l2Efficiency, Self.maxEfficiency)) + (bytes - resident) / dram + floorNs
    }
}
