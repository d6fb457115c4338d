import ArgumentParser
import Foundation
import PerfKit

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check latency tables, LLMServingSim bundles, Vidur folders and matmul.csv peaks: schema, keys, monotone latencies, coverage, physical floors.",
        discussion: "Each finding names file:line and the rule. Exit status 1 when any error is found.")

    @OptionGroup var data: DataOptions
    @Argument(help: "Table files, bundle folders (variant or its parent), Vidur model folders, matmul.csv files or their folders, or folders holding them.") var files: [String]
    @Flag(help: "Print errors only, no warnings.") var quiet = false
    @Flag(help: "Skip the coverage rule (for partial tables, excerpts, one model's rows).") var noCoverage = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one table file") }
    }

    func run() throws {
        try reportingErrors {
            let workspace = try Workspace(data)
            let validator = TableValidator(models: workspace.models.models, gpus: workspace.gpus.gpus)
            let profiles = ProfileValidator(models: workspace.models.models, gpus: workspace.gpus.gpus)
            var errors = 0
            var warnings = 0
            // A folder that is no profile itself stands for the profiles below it (an export's root, profiles/measured/).
            let expanded = files.flatMap { file -> [String] in
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), isFolder.boolValue,
                      !ProfileValidator.accepts(URL(fileURLWithPath: file)) else { return [file] }
                let root = URL(fileURLWithPath: file)
                let peaks = (FileManager.default.enumerator(atPath: file)?.allObjects as? [String] ?? [])
                    .filter { URL(fileURLWithPath: $0).lastPathComponent == "matmul.csv" }.sorted().map { root.appendingPathComponent($0).path }
                let below = ProfileFolders.find(under: root).map(\.path) + peaks
                return below.isEmpty ? [file] : below
            }
            let peaks = MatmulPeakValidator(models: workspace.models, gpus: workspace.gpus.gpus)
            for file in expanded {
                let url = URL(fileURLWithPath: file)
                var isFolder: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: file, isDirectory: &isFolder)
                let all: [ValidationFinding]
                if exists && isFolder.boolValue {
                    // A folder that is no profile but holds square-matmul peaks is checked as those.
                    let peaksFile = url.appendingPathComponent("matmul.csv")
                    all = !ProfileValidator.accepts(url) && FileManager.default.fileExists(atPath: peaksFile.path)
                        ? peaks.validate(file: peaksFile) : profiles.validate(folder: url)
                } else {
                    all = url.lastPathComponent == "matmul.csv" ? peaks.validate(file: url) : validator.validate(file: url)
                }
                let findings = Self.ordered(all.filter { !(noCoverage && $0.rule == .coverage) })
                for finding in findings where !(quiet && finding.severity == .warning) { print(finding) }
                let fileErrors = findings.filter { $0.severity == .error }.count
                errors += fileErrors
                warnings += findings.count - fileErrors
                if fileErrors == 0 { print("\(file): ok") }
            }
            print("\(expanded.count) file(s): \(errors) error(s), \(warnings) warning(s)")
            if errors > 0 { throw ExitCode.failure }
        }
    }

    /// Errors first, then warnings; within each, rows' own problems before the table's coverage; else file order.
    static func ordered(_ findings: [ValidationFinding]) -> [ValidationFinding] {
        func rank(_ finding: ValidationFinding) -> Int { (finding.severity == .error ? 0 : 2) + (finding.rule == .coverage ? 1 : 0) }
        return findings.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }
}
