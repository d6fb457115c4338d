import ArgumentParser
import Foundation
import PerfKit

/// Where model configs, GPU specs and tables are found.
struct DataOptions: ParsableArguments {
    @Option(help: "Folder holding model_configs/, perf_model/ and hardware/ (default: $LLMSERVINGSIM_DATA, else the working directory or a parent).")
    var dataDir: String?

    func directory() throws(PerfKitError) -> DataDirectory { try DataDirectory.locate(explicit: dataDir) }
}

/// The loaded catalogs a subcommand works with.
struct Workspace {
    let data: DataDirectory
    let models: ModelCatalog
    let gpus: GPUCatalog

    init(_ options: DataOptions) throws(PerfKitError) {
        data = try options.directory()
        models = try ModelCatalog(folder: data.modelConfigs)
        gpus = try GPUCatalog(file: data.hardwareSpecs)
    }

    /// `--model` and `--hardware`, else what a `--profile` bundle measured (said on stderr); an error without either.
    func identity(model: String?, hardware: String?, profile: String?) throws(PerfKitError) -> (model: String, hardware: String) {
        if let profile, profile != "measured", !FileManager.default.fileExists(atPath: profile) {
            throw PerfKitError("no such file or folder: expected a bundle folder, a Vidur model folder, one of our CSVs or \"measured\"", location: profile)
        }
        let given = LatencySourceLoader.identity(model: model, hardware: hardware, profile: profile, models: models)
        guard let resolvedModel = given.model, let resolvedHardware = given.hardware else {
            throw PerfKitError("give --model and --hardware, or a --profile bundle whose meta.yaml names them")
        }
        if let note = given.note { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        return (resolvedModel, resolvedHardware)
    }
}

/// Runs `body`, printing a PerfKit error as one line on stderr and exiting non-zero.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as PerfKitError {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode.failure
    }
}

/// Writes `table` to `out` ("-" for stdout), atomically for files.
func write(_ table: LatencyTable, to out: String) throws(PerfKitError) {
    if out == "-" {
        FileHandle.standardOutput.write(table.csvData())
    } else {
        try table.save(to: URL(fileURLWithPath: out))
    }
}

extension Workspace {
    /// The compiled rows of `model` at `tp` from perf_model/<hardware>.csv (or `file`).
    func modelTable(hardware: String, model: String, tp: Int, file: String? = nil) throws(PerfKitError) -> ModelLatencyTable {
        let config = try models.model(model)
        // With a table file of its own the GPU may be one without a spec; without, it must be a known one.
        let name = file == nil ? try gpus.gpu(hardware).name : (try? gpus.gpu(hardware).name) ?? hardware
        let url = file.map { URL(fileURLWithPath: $0) } ?? data.tableURL(hardware: name)
        let table = try LatencyTable.load(from: url)
        try TableValidator.requireUsableRows(table)
        return try ModelLatencyTable(table: table, model: config, tp: tp, hardware: name)
    }
}
