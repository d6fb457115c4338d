import ArgumentParser
import Foundation
import PerfKit

struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit a GPU's kernel parameters to a measured profile, or check the fits on held-out GPUs.",
        discussion: """
            With --profile and --hardware, the kernel classes the profile measures are refitted and written to \
            hardware/gpus.json (every changed figure is printed; --dry-run writes nothing). With --evaluate, every \
            GPU under the profiles (default profiles/measured) is predicted from the others' fits: leave-one-GPU-out.
            """)

    @OptionGroup var data: DataOptions
    @Option(help: "Profile file or folder: LLMServingSim bundles, Vidur mlp.csv or all_reduce.csv, matmul.csv square-matmul peaks (repeatable).") var profile: [String] = []
    @Option(help: "GPU name from hardware/gpus.json whose parameters are fitted.") var hardware: String?
    @Flag(help: "Print the fit and the changes without writing hardware/gpus.json.") var dryRun = false
    @Flag(help: "Leave-one-GPU-out errors of the kernel models over every measured GPU.") var evaluate = false

    func validate() throws {
        if evaluate {
            guard hardware == nil, !dryRun else { throw ValidationError("--evaluate writes nothing; do not combine it with --hardware or --dry-run") }
        } else {
            guard !profile.isEmpty, hardware != nil else { throw ValidationError("give --profile and --hardware, or --evaluate") }
        }
    }

    func run() throws {
        try reportingErrors {
            let workspace = try Workspace(data)
            let paths = profile.isEmpty ? [workspace.data.url.appendingPathComponent("profiles/measured")] : profile.map { URL(fileURLWithPath: $0) }
            var samples: CalibrationInput.SamplesByGPU = [:]
            for path in paths {
                for (gpu, found) in try CalibrationInput.samples(at: path, models: workspace.models) { samples[gpu, default: []] += found }
            }
            if evaluate {
                printEvaluation(try LeaveOneOut.evaluate(samples, gpus: workspace.gpus))
                return
            }
            let target = try workspace.gpus.gpu(hardware!).name
            let others = samples.keys.filter { $0.caseInsensitiveCompare(target) != .orderedSame }.sorted()
            if !others.isEmpty { print("skipped profiles of other GPUs: \(others.joined(separator: ", "))") }
            let unknown = others.filter { (try? workspace.gpus.gpu($0)) == nil }
            if !unknown.isEmpty {
                FileHandle.standardError.write(Data("warning: the profiles name GPUs hardware/gpus.json lacks: \(unknown.joined(separator: ", "))\n".utf8))
            }
            let mine = samples.filter { $0.key.caseInsensitiveCompare(target) == .orderedSame }.flatMap(\.value)
            guard !mine.isEmpty else { throw PerfKitError("the profile has no samples of \(target)") }
            let source = "perfkit calibrate --profile " + paths.map { relative($0, to: workspace.data.url) }.joined(separator: " --profile ")
            let calibration = try Calibration(samples: mine, gpuName: target, catalog: workspace.gpus, source: source)
            printErrors(calibration)
            if calibration.changes.isEmpty {
                print("no parameter of \(target) changes")
                return
            }
            print("changes to \(target) in \(relative(workspace.data.hardwareSpecs, to: workspace.data.url)):")
            for change in calibration.changes { print("  \(change)") }
            if !calibration.alsoChanged.isEmpty {
                print("derived parameters of \(calibration.alsoChanged.joined(separator: ", ")) change with it")
            }
            if dryRun {
                print("dry run: nothing written")
                return
            }
            do {
                try calibration.updatedFile.jsonData().write(to: workspace.data.hardwareSpecs, options: .atomic)
            } catch {
                throw PerfKitError("cannot write: \(error)", location: workspace.data.hardwareSpecs.path)
            }
            print("wrote \(workspace.data.hardwareSpecs.path); run perfkit generate --all to bring the tables along")
        }
    }

    private func printErrors(_ calibration: Calibration) {
        print("\(calibration.gpu): error per kernel class, median / max %, before → after")
        print(pad("class", 24) + pad("points", 8) + "before          after")
        for kernelClass in calibration.after.byClass.keys.sorted() {
            let after = calibration.after.byClass[kernelClass]!
            let before = calibration.before.byClass[kernelClass].map { format($0) } ?? "—"
            print(pad(kernelClass.description, 24) + pad("\(after.points)", 8) + pad(before, 16) + format(after))
        }
        for mix in calibration.after.attentionByMix.keys.sorted() {
            let after = calibration.after.attentionByMix[mix]!
            let before = calibration.before.attentionByMix[mix].map { format($0) } ?? "—"
            print(pad("  attention \(mix.rawValue)", 24) + pad("\(after.points)", 8) + pad(before, 16) + format(after))
        }
    }

    private func printEvaluation(_ rows: [LeaveOneOut.Row]) {
        print("leave-one-GPU-out: each GPU predicted from the others' fits and its datasheet; median / max % (points)")
        let classes = Set(rows.flatMap { $0.error.byClass.keys }).sorted()
        print(pad("GPU", 12) + classes.map { pad($0.description, 26) }.joined())
        for row in rows {
            print(pad(row.gpu, 12) + classes.map { kernelClass in
                pad(row.error.byClass[kernelClass].map { "\(format($0)) (\($0.points))" } ?? "—", 26)
            }.joined())
        }
        print("attention by batch mix, median / max % (points)")
        print(pad("GPU", 12) + AttentionMix.allCases.map { pad($0.rawValue, 26) }.joined())
        for row in rows {
            print(pad(row.gpu, 12) + AttentionMix.allCases.map { mix in
                pad(row.error.attentionByMix[mix].map { "\(format($0)) (\($0.points))" } ?? "—", 26)
            }.joined())
        }
    }

    private func format(_ figure: CalibrationError.Figure) -> String {
        String(format: figure.maxPercent < 10 ? "%.1f / %.1f" : "%.1f / %.0f", figure.medianPercent, figure.maxPercent)
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    private func relative(_ url: URL, to root: URL) -> String {
        let path = url.standardizedFileURL.path, base = root.standardizedFileURL.path + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }
}
