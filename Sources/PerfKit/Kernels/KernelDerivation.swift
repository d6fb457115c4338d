/// Fills the kernel classes a GPU has no measurements for: from fitted GPUs of its architecture, else from every
/// fitted GPU; their efficiencies and floors apply to this GPU's own datasheet peaks.
public enum KernelDerivation {
    /// `gpus` with every kernel class that some fitted GPU has filled in (`requireComplete` checks the result).
    public static func resolve(_ gpus: [GPUSpec]) -> [GPUSpec] {
        let fitted = gpus.filter { $0.kernels != nil }
        var resolved: [GPUSpec] = []
        for gpu in gpus {
            var copy = gpu
            copy.kernels = parameters(for: gpu, donors: fitted.filter { $0.name != gpu.name })
            resolved.append(copy)
        }
        return resolved
    }

    /// `gpu`'s own parameters, filled from `donors` of the same architecture first, then from all `donors`.
    public static func parameters(for gpu: GPUSpec, donors: [GPUSpec]) -> KernelParameters {
        let sameArchitecture = donors.filter { $0.architecture == gpu.architecture }
        let own = gpu.kernels ?? KernelParameters(source: "")
        let compute = own.gemm == nil ? computeEfficiency(for: gpu, donors: donors) : nil
        var result = own.filled(from: sameArchitecture.compactMap(\.kernels), computeEfficiency: compute?.value)
            .filled(from: donors.compactMap(\.kernels), computeEfficiency: compute?.value)
        if !own.isComplete {
            // GPUs with some class fitted to a kernel profile (a square-matmul peak alone is not one).
            let fitted = { (gpus: [GPUSpec]) in gpus.filter { $0.kernels.map { $0.gemm != nil || $0.attention != nil || !$0.elementwise.isEmpty } ?? false } }
            let archNames = fitted(sameArchitecture).map(\.name)
            let from = archNames.isEmpty ? "all fitted GPUs (\(fitted(donors).map(\.name).joined(separator: ", ")))"
                : "\(gpu.architecture) GPUs (\(archNames.joined(separator: ", "))), then all fitted GPUs"
            result.source = own.source.isEmpty ? "derived from \(from) with this GPU's datasheet peaks"
                : "\(own.source); missing classes derived from \(from)"
            if let compute { result.source += "; GEMM compute efficiency from \(compute.from)" }
        }
        return result
    }

    /// The serving-shape GEMM compute efficiency of a GPU without a GEMM profile: its measured square-matmul peak
    /// times the share of it that serving shapes reach on GPUs that measured both, else the mean of donors of its
    /// board class (GeForce or not; its architecture's first), else of all donors.
    static func computeEfficiency(for gpu: GPUSpec, donors: [GPUSpec]) -> (value: Double, from: String)? {
        let shares = donors.compactMap { donor -> Double? in
            guard let gemm = donor.kernels?.gemm, let peak = donor.kernels?.matmulPeak else { return nil }
            return gemm.computeEfficiency / peak.efficiency
        }
        func fromPeak(_ peak: MatmulPeak) -> Double? {
            shares.isEmpty ? nil : min(1, KernelParameters.fourDigits(KernelParameters.mean(shares) * peak.efficiency))
        }
        if let peak = gpu.kernels?.matmulPeak, let value = fromPeak(peak) {
            return (value, "its square-matmul peak (\(peak.efficiency) of the datasheet's) × \(KernelParameters.mean(shares)), what serving shapes reach of it")
        }
        let sameBoard = donors.filter { $0.isGeForce == gpu.isGeForce }
        let board = gpu.isGeForce ? "GeForce boards" : "datacenter and workstation boards"
        let pools = [(sameBoard.filter { $0.architecture == gpu.architecture }, "\(gpu.architecture) \(board)"), (sameBoard, board), (donors, "all GPUs")]
        for (pool, name) in pools {
            let estimates = pool.compactMap { donor in donor.kernels?.gemm.map { ($0.computeEfficiency, donor.name) } ?? donor.kernels?.matmulPeak.flatMap(fromPeak).map { ($0, donor.name) } }
            if !estimates.isEmpty {
                return (KernelParameters.mean(estimates.map(\.0)), "\(name) (\(estimates.map(\.1).joined(separator: ", ")))")
            }
        }
        return nil
    }
}

extension GPUSpec {
    /// Throws unless every kernel class has parameters, as `perfkit generate` needs.
    public func requireCompleteKernels() throws(PerfKitError) {
        guard kernels?.isComplete == true else {
            throw PerfKitError("GPU \(name): no fitted GPU gives parameters for every kernel class; run perfkit calibrate on a measured profile")
        }
    }
}
