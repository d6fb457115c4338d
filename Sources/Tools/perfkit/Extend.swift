import ArgumentParser
import Foundation
import PerfKit

struct Extend: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Derive a GPU's table from another GPU's table.",
        discussion: """
            With a factor, every latency is divided by it (the original LLMServingSim rule). Without one, each row \
            scales by the ratio of the two GPUs' roofline times for that row's work: compute-bound rows by FLOP/s, \
            memory-bound rows by bandwidth.
            """)

    @OptionGroup var data: DataOptions
    @Option(help: "Source GPU; its table is perf_model/<GPU>.csv unless --input is given.") var from: String
    @Option(help: "Target GPU name.") var to: String
    @Argument(help: "Speed factor of the target over the source (latency ÷ factor).") var factor: Double?
    @Option(name: .customLong("input"), help: "Source table file.") var inputFile: String?
    @Option(help: "Output file ('-' for stdout); default perf_model/<target>.csv.") var out: String?
    @Flag(help: "Write over an existing output file (e.g. a shipped, calibrated table).") var force = false

    func validate() throws {
        if let factor, !(factor > 0 && factor.isFinite) {
            throw ValidationError("factor must be a positive number, found \(factor)")
        }
    }

    func run() throws {
        try reportingErrors {
            let workspace = try Workspace(data)
            let sourceURL = inputFile.map { URL(fileURLWithPath: $0) } ?? workspace.data.tableURL(hardware: from)
            var source = try LatencyTable.load(from: sourceURL)
            source.rows = source.rows.filter { $0.hardware.caseInsensitiveCompare(from) == .orderedSame }
            guard !source.rows.isEmpty else {
                throw PerfKitError("no rows with hardware \(from)", location: sourceURL.path)
            }
            let targetSpec = try? workspace.gpus.gpu(to)
            let extended: LatencyTable
            if let factor {
                extended = try TableExtender.extend(source, to: targetSpec?.name ?? to, factor: factor)
            } else {
                guard let targetSpec else {
                    throw PerfKitError("unknown GPU \"\(to)\": give a factor, or add its spec to \(workspace.data.hardwareSpecs.path)")
                }
                extended = try TableExtender.extend(source, from: try workspace.gpus.gpu(from), to: targetSpec, models: workspace.models)
            }
            let destination = out ?? workspace.data.tableURL(hardware: targetSpec?.name ?? to).path
            if destination != "-", !force, FileManager.default.fileExists(atPath: destination) {
                throw PerfKitError("\(destination) exists; give --out NEW.csv, or --force to write over it", location: "extend")
            }
            try write(extended, to: destination)
            if targetSpec == nil {
                FileHandle.standardError.write(Data(
                    "warning: \(to) is not in \(workspace.data.hardwareSpecs.path), so no tool can use this table until it is: add an entry named \(to) there with the fields the other entries have (fp16_tflops, memory_bandwidth_gbps, memory_gb, …)\n".utf8))
            }
            if let targetSpec {
                let validator = TableValidator(models: workspace.models.models, gpus: [targetSpec])
                let below = validator.validate(extended).filter { $0.rule == .physicalFloor && $0.severity == .error }.count
                if below > 0 {
                    FileHandle.standardError.write(Data(
                        "warning: \(below) of \(extended.rows.count) rows are faster than \(targetSpec.name)'s physical floor; a single factor ignores that prefill is compute-bound and decode memory-bound (omit the factor for a roofline-aware extension)\n".utf8))
                }
            }
            if destination != "-" { print("wrote \(destination) (\(extended.rows.count) rows, \(from) → \(targetSpec?.name ?? to))") }
        }
    }
}
