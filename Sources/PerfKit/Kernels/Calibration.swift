import Foundation

/// One `perfkit calibrate` run: a GPU's parameters refitted to measured samples, with the errors before and after
/// and the spec file as it will be written.
public struct Calibration: Sendable {
    public var gpu: String
    public var before: CalibrationError
    public var after: CalibrationError
    /// `field: old → new` for every figure the fit changes.
    public var changes: [String]
    /// Other GPUs whose derived parameters move with this fit (their tables then need `perfkit generate`).
    public var alsoChanged: [String]
    public var updatedFile: GPUSpecFile

    /// Fits `gpuName`'s kernel classes (and all-reduce) that `samples` measure; `source` is recorded in the file.
    public init(samples: [KernelSample], gpuName: String, catalog: GPUCatalog, source: String) throws(PerfKitError) {
        let resolved = try catalog.gpu(gpuName)
        guard let index = catalog.declared.firstIndex(where: { $0.name == resolved.name }) else {
            throw PerfKitError("GPU \(resolved.name) is not declared in the spec file")
        }
        let declared = catalog.declared[index]
        gpu = resolved.name
        let current = resolved.kernels ?? KernelParameters(source: "")
        for sample in samples {
            if let problem = MatmulPeak.implausibility(sample, gpu: resolved) { throw PerfKitError(problem, location: sample.location) }
        }
        before = CalibrationError(samples, gpu: resolved, parameters: current, allReduce: AllReduceModel(gpu: resolved))
        var fitted = KernelFitter.fit(samples, gpu: resolved, current: current, source: source)
        // Only the measured classes are stored; the rest stay derived when the catalog loads.
        let measured = Set(samples.filter(\.isFitted).map(\.kernelClass))
        let own = declared.kernels
        if !measured.contains(.gemm) { fitted.gemm = own?.gemm }
        if !measured.contains(.attention) { fitted.attention = own?.attention }
        for kind in ElementwiseKind.allCases where !measured.contains(.elementwise(kind)) { fitted.elementwise[kind] = own?.elementwise[kind] }
        if !measured.contains(.matmulPeak) { fitted.matmulPeak = own?.matmulPeak }
        // A square-matmul peak carries its own source; the kernel classes keep theirs.
        if measured.subtracting([.allReduce, .matmulPeak]).isEmpty { fitted.source = own?.source ?? "" }
        var updated = declared
        updated.kernels = measured.subtracting([.allReduce]).isEmpty ? own : fitted
        updated.allReduce = KernelFitter.fitAllReduce(samples, gpu: resolved, source: source) ?? declared.allReduce
        var resolvedAfter = resolved
        resolvedAfter.allReduce = updated.allReduce
        after = CalibrationError(samples, gpu: resolvedAfter, parameters: fitted.filled(from: [current]), allReduce: AllReduceModel(gpu: resolvedAfter))
        changes = Self.differences(from: declared, to: updated)
        // A fit out of a parameter's range (a profile's wrong figure) would leave a spec file no tool loads.
        do throws(PerfKitError) {
            try updated.validate(file: "")
        } catch {
            throw PerfKitError("the fit gives \(error.message); nothing written: check the profile's figures")
        }
        var file = GPUSpecFile(comment: catalog.comment, gpus: catalog.declared)
        file.gpus[index] = updated
        updatedFile = file
        let before = KernelDerivation.resolve(catalog.declared), after = KernelDerivation.resolve(file.gpus)
        alsoChanged = zip(before, after).filter { $0.0.name != updated.name && $0.0.kernels != $0.1.kernels }.map(\.0.name)
    }

    /// Field-by-field differences of two specs' kernel and all-reduce parameters, as `path: old → new`.
    static func differences(from old: GPUSpec, to new: GPUSpec) -> [String] {
        func flatten(_ spec: GPUSpec) -> [String: String] {
            var fields: [String: String] = [:]
            if let kernels = spec.kernels {
                if !kernels.source.isEmpty { fields["kernels.source"] = kernels.source }
                if let peak = kernels.matmulPeak { fields["kernels.matmul_peak.source"] = peak.source }
                for (field, value, _) in kernels.boundedFields { fields[field] = "\(value)" }
            }
            if let allReduce = spec.allReduce {
                fields["all_reduce.latency_ns"] = "\(allReduce.latencyNs)"
                fields["all_reduce.bus_gbps"] = "\(allReduce.busGBps)"
                fields["all_reduce.source"] = allReduce.source
            }
            return fields
        }
        let before = flatten(old), after = flatten(new)
        return Set(before.keys).union(after.keys).sorted().compactMap { key in
            before[key] == after[key] ? nil : "\(key): \(before[key] ?? "none") → \(after[key] ?? "none")"
        }
    }
}
