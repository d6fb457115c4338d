import ArgumentParser
import Foundation
import PerfKit

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check latency tables, LLMServingSim bundles and Vidur folders: schema, keys, monotone latencies, coverage, physical floors.",
        discussion: "Each finding names file:line and the rule. Exit status 1 when any error is found.")

    @OptionGroup var data: DataOptions
    @Argument(help: "Table files, bundle folders (variant or its parent) or Vidur model folders.") var files: [String]
    @Flag(help: "Print errors only, no warnings.") var quiet = false

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
            for file in files {
                let url = URL(fileURLWithPath: file)
                var isFolder: ObjCBool = false
                let findings = FileManager.default.fileExists(atPath: file, isDirectory: &isFolder) && isFolder.boolValue
                    ? profiles.validate(folder: url) : validator.validate(file: url)
                for finding in findings where !(quiet && finding.severity == .warning) { print(finding) }
                let fileErrors = findings.filter { $0.severity == .error }.count
                errors += fileErrors
                warnings += findings.count - fileErrors
                if fileErrors == 0 { print("\(file): ok") }
            }
            print("\(files.count) file(s): \(errors) error(s), \(warnings) warning(s)")
            if errors > 0 { throw ExitCode.failure }
        }
    }
}
