import ArgumentParser
import Foundation
import PerfKit

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write one of our tables as a profile bundle LLMServingSim's simulator loads.",
        discussion: """
            Writes OUT/<GPU>/<model>/<variant>/meta.yaml and tp<N>/dense.csv, per_sequence.csv, attention.csv on \
            LLMServingSim's grid (tokens 1-16, every 4 to 64, every 16 to --max-num-batched-tokens; attention \
            0, 16-2048 x2 by 0, 1-256 x2 decodes by 0, 16-16384 x2 cached tokens), in µs; meta.yaml says it was generated \
            and from what. An existing variant folder is kept unless --force.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case lssBundle = "lss-bundle" }

    @OptionGroup var data: DataOptions
    @Option(help: "lss-bundle.") var format: Format
    @Option(help: "GPU name.") var hardware: String
    @Option(help: "Model id.") var model: String
    @Option(parsing: .unconditionalSingleValue, help: "Tensor-parallel degree (repeat for several).") var tp: [Int] = [1]
    @Option(name: .customLong("table"), help: "Table file (default perf_model/<GPU>.csv).") var tableFile: String?
    @Option(help: "Folder to write the bundle under (LLMServingSim's profiler/perf).") var out: String
    @Option(parsing: .unconditional, help: "Largest batch tokens of the grid.") var maxNumBatchedTokens = 2048
    @Option(parsing: .unconditional, help: "Most sequences of the grid.") var maxNumSeqs = 256
    @Option(parsing: .unconditional, help: "Largest cached tokens of the attention grid.") var maxKv = 16384
    @Flag(help: "Replace an existing variant folder.") var force = false

    func validate() throws {
        for (name, value) in [("--max-num-batched-tokens", maxNumBatchedTokens), ("--max-num-seqs", maxNumSeqs), ("--max-kv", maxKv)] where value < 16 {
            throw ValidationError("\(name) must be at least 16, found \(value)")
        }
        for (name, value) in [("--max-num-batched-tokens", maxNumBatchedTokens), ("--max-kv", maxKv)] where value > TableValidator.maxKeyTokens {
            throw ValidationError("\(name) must be at most \(TableValidator.maxKeyTokens), found \(value)")
        }
        guard maxNumSeqs <= IterationCost.maxQueryBatch else { throw ValidationError("--max-num-seqs must be at most \(IterationCost.maxQueryBatch)") }
        guard !tp.isEmpty, tp.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--tp must be at least 1") }
    }

    func run() throws {
        try reportingErrors {
            let workspace = try Workspace(data)
            let config = try workspace.models.model(model)
            let gpu = try workspace.gpus.gpu(hardware)
            for degree in tp { try config.requireTensorParallel(degree) }
            let url = tableFile.map { URL(fileURLWithPath: $0) } ?? workspace.data.tableURL(hardware: gpu.name)
            let table = try LatencyTable.load(from: url)
            try TableValidator.requireUsableRows(table)
            var exporter = BundleExporter()
            exporter.maxNumBatchedTokens = maxNumBatchedTokens
            exporter.maxNumSeqs = maxNumSeqs
            exporter.maxKV = maxKv
            let folder = try exporter.write(table: table, model: config, gpu: gpu, tps: Array(Set(tp)).sorted(), out: URL(fileURLWithPath: out), force: force)
            print("wrote \(folder.path)")
        }
    }
}
