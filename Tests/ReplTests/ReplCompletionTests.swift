import Foundation
import Repl
import Testing

/// Tab completion by context: what each command takes at each position.
@Suite struct ReplCompletionTests {
    let completion = ReplCompletion(commands: ["use", "submit", "latency", "load", "save", "status"], models: ["qwen/Qwen3-8B", "meta-llama/Llama-3.1-8B"],
                                    gpus: ["A100", "H100"])

    @Test(arguments: [
        ("", "s", ["submit", "save", "status"]),
        ("use ", "", ["hardware", "model", "tp", "scheduler", "replicas", "router"]),
        ("use hardware ", "H", ["H100"]),
        ("use model ", "qwen", ["qwen/Qwen3-8B"]),
        ("use scheduler ", "", ["vllm", "orca", "static"]),
        ("latency ", "", ["A100", "H100"]),
        ("latency A100 ", "meta", ["meta-llama/Llama-3.1-8B"]),
        ("latency A100 qwen/Qwen3-8B ", "", ["prefill", "decode"]),
        ("submit ", "q", ["qwen/Qwen3-8B"]),
        ("load ", "", ["trace"]),
        ("status ", "", ["--json"]),
        ("use tp ", "", []),
    ])
    func eachPositionOffersWhatTheCommandTakesThere(before: String, word: String, expected: [String]) {
        #expect(completion.candidates(before: before, word: word) == expected)
    }

    @Test func loadTraceOffersFilesAndSaveReportOffersFolders() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("completion-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("runs"), withIntermediateDirectories: true)
        try Data().write(to: folder.appendingPathComponent("trace.tsv"))
        let prefix = folder.path + "/"
        #expect(completion.candidates(before: "load trace ", word: prefix + "tr") == [prefix + "trace.tsv"])
        #expect(completion.candidates(before: "load trace ", word: prefix) == [prefix + "runs/", prefix + "trace.tsv"])
        #expect(completion.candidates(before: "save report ", word: prefix) == [prefix + "runs/"])
    }
}
