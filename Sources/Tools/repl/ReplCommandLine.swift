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
        discussion: "On a terminal: readline editing, history in ~/.llmservingsim_history, tab completion. Piped or --script: one command per line; the first failed line stops the session with exit status 1 (--keep-going runs every line, then exits 1). Type help for the commands.",
        version: LLMServingSimVersion.string)

    @Option(help: "Folder holding model_configs/, perf_model/ and hardware/.") var dataDir: String?
    @Option(help: "GPU of new engines (default: a --profile bundle's, else A100).") var hardware: String?
    @Option(help: "Measured latencies of new engines: a bundle or Vidur folder, one of our CSVs, or \"measured\".") var profile: String?
    @Option(help: "Default model of submit and load (default: a --profile bundle's, else none).") var model: String?
    @Option(parsing: .unconditional, help: "Tensor-parallel degree of new engines.") var tp: Int = 1
    @Option(parsing: .unconditional, help: "KV blocks per replica of new engines, replacing the computed capacity (vLLM's num_gpu_blocks_override).") var numGpuBlocks: Int?
    @Option(help: "Run the commands of this file, then exit.") var script: String?
    @Flag(help: "Print every query's answer as JSON.") var json = false
    @Flag(help: "In a script or piped session, run every line even after one fails (the exit status is still 1).") var keepGoing = false

    func run() throws {
        var session: ReplSession
        do {
            let data = try DataDirectory.locate(explicit: dataDir)
            let loader = try EngineLoader(data: data)
            let identity = loader.identity(model: model, hardware: hardware, profile: profile)
            if let note = identity.note { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
            // A profile that cannot serve the first engine is refused now, as simulate and serve do, not at the first submit.
            if let profile, let first = model ?? loader.bundleModel(profile: profile) {
                _ = try loader.source(model: first, hardware: identity.hardware, tp: tp, profile: profile)
            }
            session = try ReplSession(loader: loader, hardware: identity.hardware, model: model ?? loader.bundleModel(profile: profile), tp: tp, profile: profile,
                                      scheduler: SchedulerConfig(numGpuBlocksOverride: numGpuBlocks))
        } catch {
            // A ReplError already says "error:".
            let message = (error as? ReplError)?.description ?? "error: \(error)"
            FileHandle.standardError.write(Data("\(message)\n".utf8))
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
            let failed = ReplDriver.run(session: &session, reader: &reader, forceJSON: json, stopOnError: !keepGoing, write: write, interrupted: Interrupts.take)
            try exitStatus(failed: failed)
        } else if isatty(STDIN_FILENO) == 1 {
            let completion = ReplCompletion(commands: ReplHelp.entries.map(\.name) + ["exit"], models: session.parser.models, gpus: session.parser.gpus)
            print("LLMServingSim REPL: \(session.hardware), model \(session.defaultModel ?? "none (use model ID)"). Type help; Ctrl-D quits.")
            var reader = ReadlineLineReader(completion: completion, historyFile: ReadlineLineReader.defaultHistoryFile)
            ReplDriver.run(session: &session, reader: &reader, forceJSON: json, write: write, interrupted: Interrupts.take)
        } else {
            var reader = StandardInputLineReader()
            let failed = ReplDriver.run(session: &session, reader: &reader, forceJSON: json, stopOnError: !keepGoing, write: write, interrupted: Interrupts.take)
            try exitStatus(failed: failed)
        }
    }

    /// A script or piped session that had a failed line exits 1 (after the first failure, without --keep-going).
    private func exitStatus(failed: Int) throws {
        guard failed > 0 else { return }
        let summary = keepGoing ? "\(failed) line(s) failed" : "stopped at the first failed line (--keep-going runs the rest)"
        FileHandle.standardError.write(Data("error: \(summary)\n".utf8))
        throw ExitCode.failure
    }
}
