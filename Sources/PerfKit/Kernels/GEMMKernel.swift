/// Fitted parameters of a GPU's bf16 GEMMs (cuBLAS/CUTLASS as vLLM calls them): a smooth roofline
/// sqrt(t_mem² + t_compute²) + floor, with efficiencies that depend on the bytes moved and on the token count.
public struct GEMMKernel: Sendable, Hashable, Codable {
    /// Fraction of peak bandwidth reached by large weight streams.
    public var memoryEfficiency: Double
    /// Bytes of fixed traffic-equivalent cost: small matrices reach less of the bandwidth, bytes / (bytes + this).
    public var memoryOverheadBytes: Double
    /// Fraction of peak tensor FLOP/s reached at many tokens.
    public var computeEfficiency: Double
    /// Tokens (rows M) at which compute efficiency is half its ceiling: M / (M + this).
    public var computeHalfTokens: Double
    /// Time added to every GEMM (launch, prologue, epilogue), ns.
    public var floorNs: Double

    enum CodingKeys: String, CodingKey {
        case memoryEfficiency = "memory_efficiency", memoryOverheadBytes = "memory_overhead_bytes"
        case computeEfficiency = "compute_efficiency", computeHalfTokens = "compute_half_tokens", floorNs = "floor_ns"
    }

    /// Time of an (M × K) · (K × N) GEMM of `bytesPerElement` operands on `gpu`, ns.
    public func ns(tokens: Double, n: Double, k: Double, bytesPerElement: Double, gpu: GPUSpec) -> Double {
        guard tokens > 0 else { return 0 }
        let bytes = (n * k + tokens * k + tokens * n) * bytesPerElement
        let flops = 2 * tokens * n * k
        let memoryNs = (bytes + memoryOverheadBytes) / (gpu.peakBytesPerNs * memoryEfficiency)
        let computeNs = flops * (tokens + computeHalfTokens) / tokens / (gpu.peakFlopsPerNs * computeEfficiency)
        return (memoryNs * memoryNs + computeNs * computeNs).squareRoot() + floorNs
    }
}
