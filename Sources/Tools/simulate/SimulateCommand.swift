import ArgumentParser

@main
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate an LLM serving engine on latency tables: TTFT, TPOT, ITL, E2E and throughput.",
        subcommands: [Run.self, MakeTrace.self, Search.self],
        defaultSubcommand: Run.self)
}
