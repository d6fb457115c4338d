import ArgumentParser
import PerfKit

@main
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate an LLM serving engine on latency tables: TTFT, TPOT, ITL, E2E and throughput.",
        version: LLMServingSimVersion.string,
        subcommands: [Run.self, MakeTrace.self],
        defaultSubcommand: Run.self)
}
