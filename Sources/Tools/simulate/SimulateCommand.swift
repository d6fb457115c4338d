import ArgumentParser
import Foundation
import PerfKit

@main
struct SimulateCommand: AsyncParsableCommand {
    /// `simulate --help` shows `run`'s options too: `simulate OPTIONS` is `simulate run OPTIONS`.
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "simulate",
            abstract: "Simulate an LLM serving engine on latency tables: TTFT, TPOT, ITL, E2E and throughput.",
            discussion: "`simulate [OPTIONS]` runs `simulate run [OPTIONS]`. Its options:\n\n" + runOptions,
            version: LLMServingSimVersion.string,
            subcommands: [Run.self, MakeTrace.self, Replay.self, Search.self],
            defaultSubcommand: Run.self)
    }

    /// The OPTIONS section of `simulate run --help`.
    private static var runOptions: String {
        let help = Run.helpMessage(columns: 78)
        guard let start = help.range(of: "OPTIONS:") else { return help }
        return String(help[start.upperBound...]).trimmingCharacters(in: .newlines)
    }
}
