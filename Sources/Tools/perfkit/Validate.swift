import ArgumentParser
import Foundation
import PerfKit

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check latency tables: schema, keys, positive and monotone latencies, coverage, physical floors.",
        discussion: "Each finding names file:line and the rule. Exit status 1 when any error is found.")

    @OptionGroup var data: DataOptions
    @Argument(help: "Table files.") var files: [String]
    @Flag(help: "Print errors only, no warnings.") var quiet = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one table file") }
    }

    func run() throws {
        try reportingErrors {
            let workspace = try Workspace(data)
            let validator = TableValidator(models: workspace.models.models, gpus: workspace.gpus.gpus)
            var errors = 0
            var warnings = 0
            for file in files {
                let findings = validator.validate(file: URL(fileURLWithPath: file))
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
