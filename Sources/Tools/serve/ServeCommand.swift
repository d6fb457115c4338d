import ArgumentParser
import PerfKit

@main
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "The simulator as an OpenAI-compatible server: tokens are paced by the simulated GPU's timing.",
        version: LLMServingSimVersion.string,
        subcommands: [Run.self, Conformance.self],
        defaultSubcommand: Run.self)
}
