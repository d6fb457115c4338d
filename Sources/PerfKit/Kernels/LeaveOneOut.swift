/// The held-out check of the kernel models: each measured GPU's parameters are derived, as for a GPU without
/// measurements, from the others' fits (its architecture's first) and its datasheet, then compared with its samples.
public enum LeaveOneOut {
    /// One held-out GPU's errors.
    public struct Row: Sendable {
        public var gpu: String
        public var error: CalibrationError
    }

    /// Fits every GPU in `samples` on its own samples, then predicts each from the others; `gpus` gives the datasheets.
    public static func evaluate(_ samples: CalibrationInput.SamplesByGPU, gpus: GPUCatalog) throws(PerfKitError) -> [Row] {
        var fitted: [GPUSpec] = []
        for name in samples.keys.sorted() {
            var gpu = try gpus.gpu(name)
            gpu.kernels = KernelFitter.fit(samples[name]!, gpu: gpu, current: KernelParameters(source: ""), source: "held-out fit")
            fitted.append(gpu)
        }
        return fitted.map { heldOut in
            var bare = heldOut
            bare.kernels = nil
            let parameters = KernelDerivation.parameters(for: bare, donors: fitted.filter { $0.name != heldOut.name })
            let error = CalibrationError(samples[heldOut.name]!.filter { $0.kernelClass != .allReduce }, gpu: heldOut,
                                         parameters: parameters, allReduce: AllReduceModel(gpu: heldOut))
            return Row(gpu: heldOut.name, error: error)
        }
    }
}
