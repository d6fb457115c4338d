import Foundation

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

    /// `sample`'s measured rate over `gpu`'s datasheet peak; nil for a sample of another class.
    static func ratio(_ sample: KernelSample, gpu: GPUSpec) -> Double? {
        guard case .squareMatmul(let size) = sample.shape else { return nil }
        return 2 * size * size * size / (gpu.peakFlopsPerNs * sample.measuredNs)
    }

    /// Why `sample` cannot be a board's square-matmul rate on `gpu`; nil when it can.
    static func implausibility(_ sample: KernelSample, gpu: GPUSpec) -> String? {
        guard let ratio = ratio(sample, gpu: gpu), !(ratio > 0 && ratio <= maxEfficiency) else { return nil }
        return String(format: "%.1f TFLOP/s is %.2f× %@'s datasheet %.1f, more than any board reaches (≤ %.1f×): an FP16-accumulate or sparse figure?",
                      ratio * gpu.fp16TFLOPS, ratio, gpu.name, gpu.fp16TFLOPS, maxEfficiency)
    }

    /// Time of a size³ square matmul at this rate on `gpu`, ns.
    func ns(size: Double, gpu: GPUSpec) -> Double {
        2 * size * size * size / (gpu.peakFlopsPerNs * efficiency)
    }
}
