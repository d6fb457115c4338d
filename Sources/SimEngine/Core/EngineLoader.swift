import Foundation
public import PerfKit

/// Builds engines from the shipped data: model config, GPU spec and the GPU's latency table.
public struct EngineLoader: Sendable {
    public let data: DataDirectory
    public let models: ModelCatalog
    public let gpus: GPUCatalog

    public init(data: DataDirectory) throws(SimEngineError) {
        self.data = data
        do throws(PerfKitError) {
            models = try ModelCatalog(folder: data.modelConfigs)
            gpus = try GPUCatalog(file: data.hardwareSpecs)
        } catch {
            throw SimEngineError(error)
        }
    }

    /// The compiled table of `model` at `tp` on `hardware` (from perf_model/<GPU>.csv, or `tableFile`) and the GPU spec.
    public func table(model: String, hardware: String, tp: Int, tableFile: String? = nil) throws(SimEngineError) -> (ModelLatencyTable, GPUSpec) {
        do throws(PerfKitError) {
            let config = try models.model(model)
            let gpu = try gpus.gpu(hardware)
            try config.requireTensorParallel(tp)
            let url = tableFile.map { URL(fileURLWithPath: $0) } ?? data.tableURL(hardware: gpu.name)
            let table = try LatencyTable.load(from: url)
            try TableValidator.requireUsableRows(table)
            return (try ModelLatencyTable(table: table, model: config, tp: tp, hardware: gpu.name), gpu)
        } catch {
            throw SimEngineError(error)
        }
    }

    /// The latency source of `model` at `tp` on `hardware`: `profile` (`measured`, a bundle or Vidur folder, one of
    /// our CSVs), else `tableFile`, else perf_model/<GPU>.csv; and the GPU spec.
    public func source(model: String, hardware: String, tp: Int, tableFile: String? = nil, profile: String? = nil) throws(SimEngineError) -> (any LatencySource, GPUSpec) {
        do throws(PerfKitError) {
            let config = try models.model(model)
            let gpu = try gpus.gpu(hardware)
            try config.requireTensorParallel(tp)
            let source = try LatencySourceLoader(data: data).source(profile: profile, tableFile: tableFile, model: config, gpu: gpu, tp: tp)
            return (source, gpu)
        } catch {
            throw SimEngineError(error)
        }
    }

    /// The model and GPU a front serves: `model` and `hardware` as given, else what a `profile` bundle measured, else
    /// Llama-3.1-8B-Instruct on an A100; `note` says what was taken from the bundle, for the user.
    public func identity(model: String?, hardware: String?, profile: String?) -> (model: String, hardware: String, note: String?) {
        let given = LatencySourceLoader.identity(model: model, hardware: hardware, profile: profile, models: models)
        let defaultModel = "meta-llama/Llama-3.1-8B-Instruct"
        // A profile that names no model (a Vidur folder, one of our CSVs) is read for the default one: say so.
        let note = given.note ?? (profile != nil && profile != "measured" && given.model == nil ? "model \(defaultModel), the default (the profile names none; pass --model)" : nil)
        return (given.model ?? defaultModel, given.hardware ?? "A100", note)
    }

    /// The model (as our catalog spells it) a `profile` bundle measured; nil for other profiles.
    public func bundleModel(profile: String?) -> String? {
        LatencySourceLoader.identity(model: nil, hardware: nil, profile: profile, models: models).model
    }

    /// An engine for `model` on `replicas` × `tp` GPUs of `hardware`.
    public func engine(
        model: String, hardware: String, tp: Int = 1, replicas: Int = 1, config: SchedulerConfig = SchedulerConfig(),
        router: RouterPolicy = .roundRobin, recordsTokenEvents: Bool = false, tableFile: String? = nil, profile: String? = nil
    ) throws(SimEngineError) -> ServingEngine {
        let (source, gpu) = try source(model: model, hardware: hardware, tp: tp, tableFile: tableFile, profile: profile)
        return try ServingEngine(source: source, gpu: gpu, config: config, replicas: replicas, router: router, recordsTokenEvents: recordsTokenEvents)
    }
}
