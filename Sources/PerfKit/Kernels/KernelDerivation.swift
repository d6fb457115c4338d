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
        var result = own.filled(from: sameArchitecture.compactMap(\.kernels)).filled(from: donors.compactMap(\.kernels))
        if gpu.kernels == nil || !own.isComplete {
            let archNames = sameArchitecture.filter { $0.kernels != nil }.map(\.name)
            let from = archNames.isEmpty ? "all fitted GPUs (\(donors.filter { $0.kernels != nil }.map(\.name).joined(separator: ", ")))"
                : "\(gpu.architecture) GPUs (\(archNames.joined(separator: ", "))), then all fitted GPUs"
            result.source = own.source.isEmpty ? "derived from \(from) with this GPU's datasheet peaks"
                : "\(own.source); missing classes derived from \(from)"
        }
        return result
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
