import ArgumentParser
import Foundation
import PerfKit

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate latency rows from model configs and GPU specs by the fitted kernel models.",
        discussion: """
            With --model and --hardware, the model's rows at --tp replace its rows in perf_model/<GPU>.csv \
            (or go to --out). With --all, every shipped model at tp 1, 2, 4 and 8 is written for every GPU.
            """)

    @OptionGroup var data: DataOptions
    @Option(help: "Model id, the path under model_configs/ (e.g. qwen/Qwen3-8B).") var model: String?
    @Option(help: "GPU name from hardware/gpus.json (e.g. A100).") var hardware: String?
    @Option(parsing: .unconditional, help: "Tensor-parallel degree.") var tp: Int = 1
    @Option(help: "Output file ('-' for stdout); default perf_model/<GPU>.csv, merged with its other rows.") var out: String?
    @Flag(help: "Every model on every GPU, written to perf_model/.") var all = false
    @Flag(help: "Replace an existing --out file.") var force = false

    func validate() throws {
        if all {
            guard model == nil, hardware == nil, out == nil else {
                throw ValidationError("--all writes every model on every GPU; do not combine it with --model, --hardware or --out")
            }
        } else {
            guard model != nil, hardware != nil else { throw ValidationError("give --model and --hardware, or --all") }
            guard tp >= 1 else { throw ValidationError("--tp must be at least 1, found \(tp)") }
        }
    }

    func run() throws {
        try reportingErrors {
            let workspace = try Workspace(data)
            if all {
                for gpu in workspace.gpus.gpus { try gpu.requireCompleteKernels() }
                for gpu in workspace.gpus.gpus {
                    let table = TableGenerator.table(models: workspace.models.models, gpu: gpu)
                    let url = workspace.data.tableURL(hardware: gpu.name)
                    try table.save(to: url)
                    print("wrote \(url.path) (\(table.rows.count) rows, \(workspace.models.models.count) models)")
                }
                return
            }
            let config = try workspace.models.model(model!)
            let gpu = try workspace.gpus.gpu(hardware!)
            try gpu.requireCompleteKernels()
            try config.requireTensorParallel(tp)
            let rows = TableGenerator.rows(model: config, gpu: gpu, tp: tp)
            let destination = out ?? workspace.data.tableURL(hardware: gpu.name).path
            if let out, out != "-", !force, FileManager.default.fileExists(atPath: out) {
                throw PerfKitError("already exists; pass --force to replace it (without --out the GPU's table is merged)", location: out)
            }
            var table = LatencyTable(rows: rows, hasTPColumn: true)
            if out == nil, FileManager.default.fileExists(atPath: destination) {
                let existing = try LatencyTable.load(from: URL(fileURLWithPath: destination))
                // The model's rows are replaced where they were, so that the file keeps the order `--all` writes.
                func isReplaced(_ row: LatencyRow) -> Bool { row.model == config.id && row.tp == tp && row.hardware == gpu.name }
                var merged = existing.rows.filter { !isReplaced($0) }
                let position = existing.rows.firstIndex(where: isReplaced) ?? existing.rows.count
                merged.insert(contentsOf: rows, at: position)
                table = LatencyTable(rows: merged, hasTPColumn: true, extraColumns: existing.extraColumns)
            }
            try write(table, to: destination)
            if destination != "-" { print("wrote \(destination) (\(rows.count) rows for \(config.id) tp=\(tp) on \(gpu.name))") }
        }
    }
}
