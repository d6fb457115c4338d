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
}

/// Fitted parameters of one element-wise kernel: bandwidth plus a floor.
public struct ElementwiseKernel: Sendable, Hashable, Codable {
    /// Bytes moved per ns as a fraction of peak bandwidth; above 1 where activations stay in L2 (at most 4, the
    /// physical-floor rule's bound for element-wise layers).
    public var efficiency: Double
    /// Time of the kernel at no bytes (launch, one wave), ns.
    public var floorNs: Double

    enum CodingKeys: String, CodingKey {
        case efficiency, floorNs = "floor_ns"
    }

    /// The largest efficiency allowed: element-wise rows may not beat a quarter of their bytes at peak bandwidth.
    public static let maxEfficiency = 4.0

    /// Time of the kernel moving `bytes` on `gpu`, ns.
    public func ns(bytes: Double, gpu: GPUSpec) -> Double {
        bytes / (gpu.peakBytesPerNs * min(efficiency, Self.maxEfficiency)) + floorNs
    }
}
