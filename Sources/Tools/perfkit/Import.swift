import ArgumentParser
import Foundation
import PerfKit

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write a measured profile (an LLMServingSim bundle or a Vidur folder) as our latency CSV.",
        discussion: """
            Fused layers are split so the parts sum to the measured time (qkv_proj by output width, gate_up_proj in \
            halves); lm_head + sampler become our lm_head; the bundle's pure-prefill and single-decode attention points \
            become our attention rows. A Vidur folder's attention, final norm and lm_head come from our table for the GPU. \
            Without --tp every tp the profile holds is written. An existing --out file is kept unless --force.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case lssBundle = "lss-bundle"
        case vidur
    }

    @OptionGroup var data: DataOptions
    @Option(help: "lss-bundle or vidur.") var from: Format
    @Argument(help: "The bundle folder (variant or its parent) or the Vidur model folder.") var path: String
    @Option(help: "Our GPU name for the rows.") var hardware: String
    @Option(help: "Our model id for the rows.") var model: String
    @Option(parsing: .unconditionalSingleValue, help: "Tensor-parallel degree (repeat for several; default: all the profile has).") var tp: [Int] = []
    @Option(help: "Output CSV ('-' for stdout).") var out: String = "-"
    @Flag(help: "Replace an existing --out file.") var force = false

    func run() throws {
        try reportingErrors {
            let workspace = try Workspace(data)
            let config = try workspace.models.model(model)
            let gpu = try workspace.gpus.gpu(hardware)
            let url = URL(fileURLWithPath: path)
            if out != "-", FileManager.default.fileExists(atPath: out), !force {
                throw PerfKitError("already exists; pass --force to replace it", location: out)
            }
            let available: [Int]
            switch from {
            case .lssBundle: available = BundleReader.tpFolders(try BundleReader.variantFolder(url))
            case .vidur:
                guard VidurReader.isVidurFolder(url) else { throw PerfKitError("no mlp.csv: not a Vidur model folder", location: path) }
                available = LatencySourceLoader(data: workspace.data).shippedTPs(vidur: url)
            }
            var rows: [LatencyRow] = []
            for degree in tp.isEmpty ? available : tp {
                try config.requireTensorParallel(degree)
                switch from {
                case .lssBundle:
                    let profile = try BundleReader.read(url, tp: degree, model: config.id)
                    rows += try ProfileImporter.rows(profile, model: config, hardware: gpu.name)
                case .vidur:
                    let profile = try VidurReader.read(url, tp: degree, model: config)
                    let ours = try LatencyTable.load(from: workspace.data.tableURL(hardware: gpu.name))
                    rows += try ProfileImporter.rows(profile, model: config, hardware: gpu.name, fallback: ours)
                }
            }
            try write(LatencyTable(rows: rows, hasTPColumn: true, source: path), to: out)
            if out != "-" { FileHandle.standardError.write(Data("wrote \(rows.count) rows to \(out)\n".utf8)) }
        }
    }
}
