/// A GPU's large square bf16 matmul rate as a fraction of its datasheet peak, fitted to measured `matmul.csv` rows.
/// GeForce boards exceed 1: they run above their rated boost clock. Serving-shape GEMMs of a GPU without its own GEMM
/// profile take their compute efficiency from it (`KernelDerivation`).
public struct MatmulPeak: Sendable, Hashable, Codable {
    /// Measured TFLOP/s over the datasheet's `fp16_tflops`.
    public var efficiency: Double
    /// The command and profile it was fitted from.
    public var source: String

    public init(efficiency: Double, source: String) {
        self.efficiency = efficiency
        self.source = source
    }

    /// Largest `efficiency` a spec may hold: the best GeForce boards measured reach 1.13.
    static let maxEfficiency = 1.5

    /// Time of a size³ square matmul at this rate on `gpu`, ns.
    func ns(size: Double, gpu: GPUSpec) -> Double {
        2 * size * size * size / (gpu.peakFlopsPerNs * efficiency)
    }
}
