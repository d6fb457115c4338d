import ArgumentParser
import PerfKit

@main
struct PerfKitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perfkit",
        abstract: "Generate, extend, interpolate, validate, query, import, export and calibrate per-GPU LLM latency tables.",
        version: LLMServingSimVersion.string,
        subcommands: [Generate.self, Extend.self, Interpolate.self, Validate.self, Query.self, List.self, Import.self, Export.self, Calibrate.self])
}
