import ArgumentParser
import Foundation
import PerfKit
import Repl
import SimEngine

@main
struct ReplCommandLine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "An interactive simulator: submit requests to simulated GPUs and query latencies and state.",
        discussion: "On a terminal: readline editing, history in ~/.llmservingsim_history, tab completion. Piped: one command per line. Type help for the commands.")

    @Option(help: "Folder holding model_configs/, perf_model/ and hardware/.") var dataDir: String?
    @Option(help: "GPU of new engines.") var hardware: String = "A100"
    @Option(help: "Default model of submit and load.") var model: String?
    @Option(parsing: .unconditional, help: "Tensor-parallel degree of new engines.") var tp: Int = 1
    @Option(help: "Run the commands of this file, then exit.") var script: String?
    @Flag(help: "Print every query's answer as JSON.") var json = false

    func run() throws {
        var session: ReplSession
        do {
            let data = try DataDirectory.locate(explicit: dataDir)
            session = try ReplSession(loader: try EngineLoader(data: data), hardware: hardware, model: model, tp: tp)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        Interrupts.install()
        let write: (String) -> Void = { print($0) }
        if let script {
            guard let text = try? String(contentsOfFile: script, encoding: .utf8) else {
                FileHandle.standardError.write(Data("error: cannot read script \(script)\n".utf8))
                throw ExitCode.failure
            }
            var reader = ScriptedLineReader(lines: text.components(separatedBy: "\n"), echo: { print($0) })
            ReplDriver.run(session: &session, reader: &reader, forceJSON: json, write: write, interrupted: Interrupts.take)
        } else if isatty(STDIN_FILENO) == 1 {
            let parser = session.parser
            let commands = ReplHelp.entries.map(\.name) + ["exit"]
            let words = parser.models + parser.gpus + ["hardware", "model", "tp", "scheduler", "replicas", "router", "until", "trace", "report",
                                                       "prefill", "decode", "vllm", "orca", "static", "round_robin", "least_outstanding", "least_kv", "--json", "rate", "step"]
                + ReplSearchOptions.searchNames.map { "--\($0)" }
            print("LLMServingSim REPL: \(session.hardware), model \(session.defaultModel ?? "none (use model ID)"). Type help; Ctrl-D quits.")
            var reader = ReadlineLineReader(commands: commands, words: words, historyFile: ReadlineLineReader.defaultHistoryFile)
            ReplDriver.run(session: &session, reader: &reader, forceJSON: json, write: write, interrupted: Interrupts.take)
        } else {
            var reader = StandardInputLineReader()
            ReplDriver.run(session: &session, reader: &reader, forceJSON: json, write: write, interrupted: Interrupts.take)
        }
    }
}
