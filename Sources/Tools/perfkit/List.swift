import ArgumentParser
import Foundation
import PerfKit

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the models and GPUs available.")

    @OptionGroup var data: DataOptions

    func run() throws {
        try reportingErrors {
            let workspace = try Workspace(data)
            print("Models (\(workspace.data.modelConfigs.path)):")
            for model in workspace.models.models {
                print("  " + [
                    model.id.padding(toLength: 36, withPad: " ", startingAt: 0),
                    String(format: "%6.2fB params", Double(model.parameterCount) / 1e9),
                    String(format: "%3d layers", model.numHiddenLayers),
                    String(format: "ctx %6d", model.maxPositionEmbeddings),
                    String(format: "%4d KiB KV/token", model.kvBytesPerToken / 1024),
                ].joined(separator: "  "))
            }
            print("GPUs (\(workspace.data.hardwareSpecs.path)):")
            for gpu in workspace.gpus.gpus {
                let hasTable = FileManager.default.fileExists(atPath: workspace.data.tableURL(hardware: gpu.name).path)
                print("  " + [
                    gpu.name.padding(toLength: 10, withPad: " ", startingAt: 0),
                    String(format: "%7.1f TFLOP/s", gpu.fp16TFLOPS),
                    String(format: "%6.0f GB/s", gpu.memoryBandwidthGBps),
                    String(format: "%3.0f GB", gpu.memoryGB),
                    String(format: "factor %.1f", gpu.relativeFactor),
                    hasTable ? "table perf_model/\(gpu.name).csv" : "no table",
                ].joined(separator: "  "))
            }
        }
    }
}
