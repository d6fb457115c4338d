import Foundation
import PerfKit

/// The compiled latency tables a search needs, each loaded once: a CSV per GPU, a table per (model, GPU, tp).
/// A table that cannot be had becomes the skip reason of every configuration that needs it.
struct SearchTables: Sendable {
    struct Key: Hashable, Sendable {
        var model: String
        var hardware: String
        var tp: Int
    }

    private var tables: [Key: Result<(ModelLatencyTable, GPUSpec), SimEngineError>] = [:]

    init(loader: EngineLoader, configs: [DeploymentConfig]) {
        var files: [String: Result<LatencyTable, SimEngineError>] = [:]
        for config in configs {
            let key = Key(model: config.model, hardware: config.hardware, tp: config.tp)
            if tables[key] != nil { continue }
            do {
                let (model, gpu) = try Self.resolve(loader: loader, config: config)
                let file = files[gpu.name] ?? Self.load(loader: loader, gpu: gpu)
                files[gpu.name] = file
                tables[key] = .success((try Self.compile(file.get(), model: model, tp: config.tp, gpu: gpu), gpu))
            } catch {
                tables[key] = .failure(error)
            }
        }
    }

    func table(for config: DeploymentConfig) -> Result<(ModelLatencyTable, GPUSpec), SimEngineError> {
        tables[Key(model: config.model, hardware: config.hardware, tp: config.tp)]!
    }

    private static func resolve(loader: EngineLoader, config: DeploymentConfig) throws(SimEngineError) -> (ModelConfig, GPUSpec) {
        do throws(PerfKitError) {
            let model = try loader.models.model(config.model)
            try model.requireTensorParallel(config.tp)
            return (model, try loader.gpus.gpu(config.hardware))
        } catch { throw SimEngineError(error) }
    }

    private static func load(loader: EngineLoader, gpu: GPUSpec) -> Result<LatencyTable, SimEngineError> {
        do throws(PerfKitError) {
            let table = try LatencyTable.load(from: loader.data.tableURL(hardware: gpu.name))
            try TableValidator.requireUsableRows(table)
            return .success(table)
        } catch { return .failure(SimEngineError(error)) }
    }

    private static func compile(_ table: LatencyTable, model: ModelConfig, tp: Int, gpu: GPUSpec) throws(SimEngineError) -> ModelLatencyTable {
        do throws(PerfKitError) {
            return try ModelLatencyTable(table: table, model: model, tp: tp, hardware: gpu.name)
        } catch { throw SimEngineError(error) }
    }
}
