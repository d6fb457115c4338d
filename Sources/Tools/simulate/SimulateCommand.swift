import ArgumentParser

@main
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate an LLM serving engine on latency tables: TTFT, TPOT, ITL, E2E and throughput.",
        subcommands: [Run.self, MakeTrace.self, Replay.self],
        defaultSubcommand: Run.self)
}
