import ArgumentParser
import Foundation
import SimEngine

struct MakeTrace: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make-trace",
        abstract: "Write a seeded synthetic workload as a trace: LLMServingSim TSV, Vidur CSV or JSONL.")

    @OptionGroup var synthetic: SyntheticOptions
    @Option(help: "Output file ('-' for stdout, with --format).") var out: String
    @Option(help: "tsv (LLMServingSim), vidur (CSV) or jsonl; default from the file name.") var format: TraceFormat?
    @Flag(help: "Replace an existing --out file.") var force = false

    func run() throws {
        do {
            let workload = try synthetic.workload()
            guard let resolved = format ?? (out == "-" ? .tsv : TraceFormat(fileName: out)) else {
                throw SimEngineError("cannot tell the format from the name; give --format tsv|vidur|jsonl", location: out)
            }
            if out == "-" {
                FileHandle.standardOutput.write(TraceWriter.data(workload, format: resolved))
                return
            }
            guard force || !FileManager.default.fileExists(atPath: out) else {
                throw SimEngineError("already exists; pass --force to replace it", location: out)
            }
            try TraceWriter.write(workload, to: URL(fileURLWithPath: out), format: resolved)
            print("wrote \(URL(fileURLWithPath: out).standardizedFileURL.path) (\(workload.count) requests)")
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
