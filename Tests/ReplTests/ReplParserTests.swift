import Foundation
import Repl
import SimEngine
import Testing

@Suite struct ReplParserTests {
    let parser = ReplParser(models: ["qwen/Qwen3-8B", "meta-llama/Llama-3.1-8B-Instruct"], gpus: ["A100", "H100"])

    func command(_ line: String) throws -> ReplCommand? { try parser.parse(line)?.command }

    @Test(arguments: [
        ("use hardware h100", ReplCommand.use(.hardware("H100"))),
        ("use model Qwen3-8B", .use(.model("qwen/Qwen3-8B"))),
        ("use tp 2", .use(.tp(2))),
        ("use scheduler orca", .use(.scheduler(.orca))),
        ("use replicas 3", .use(.replicas(3))),
        ("use router least_kv", .use(.router(.leastKV))),
        ("submit qwen/Qwen3-8B 512 128", .submit(model: "qwen/Qwen3-8B", input: 512, output: 128, count: 1, at: nil, every: .zero)),
        ("submit 512 128", .submit(model: "", input: 512, output: 128, count: 1, at: nil, every: .zero)),
        ("submit qwen/Qwen3-8B 2048 256 x8 at +0.5s", .submit(model: "qwen/Qwen3-8B", input: 2048, output: 256, count: 8, at: ReplTime(time: .seconds(0.5), isRelative: true), every: .zero)),
        ("submit 10 10 x3 at 2s every 100ms", .submit(model: "", input: 10, output: 10, count: 3, at: ReplTime(time: .seconds(2), isRelative: false), every: .milliseconds(100))),
        ("run", .run(until: nil)),
        ("run until 30s", .run(until: ReplTime(time: .seconds(30), isRelative: false))),
        ("RUN UNTIL +250ms", .run(until: ReplTime(time: .milliseconds(250), isRelative: true))),
        ("step", .step(count: 1)),
        ("step 10", .step(count: 10)),
        ("status", .status), ("stats", .stats), ("requests", .requests), ("show 3", .show(3)),
        ("latency H100 meta-llama/Llama-3.1-8B-Instruct decode kv=1024 batch=16",
         .latency(hardware: "H100", model: "meta-llama/Llama-3.1-8B-Instruct", phase: .decode, input: 1, kv: 1024, batch: 16, tp: 1)),
        ("latency a100 Qwen3-8B prefill input=2048 tp=2",
         .latency(hardware: "A100", model: "qwen/Qwen3-8B", phase: .prefill, input: 2048, kv: 0, batch: 1, tp: 2)),
        ("load trace fixtures/traces/x.tsv", .loadTrace(path: "fixtures/traces/x.tsv")),
        ("reset", .reset), ("save report out/", .saveReport(folder: "out/")),
        ("help", .help(topic: nil)), ("help submit", .help(topic: "submit")), ("quit", .quit), ("exit", .quit),
    ])
    func everyCommandParses(line: String, expected: ReplCommand) throws {
        #expect(try command(line) == expected)
    }

    @Test func jsonIsAFlagOfAnyCommand() throws {
        let line = try #require(try parser.parse("status --json"))
        #expect(line.json && line.command == .status)
        #expect(try parser.parse("stats")?.json == false)
    }

    @Test(arguments: ["", "   ", "# a comment", "\t"])
    func blankLinesAndCommentsAreNothing(line: String) throws {
        #expect(try parser.parse(line) == nil)
    }

    @Test(arguments: [
        ("frobnicate", "unknown command \"frobnicate\"", false),
        ("submit qwen/Qwen3-8B", "missing INPUT", true),
        ("submit qwen/Qwen3-8B 512", "missing OUTPUT", true),
        ("submit qwen/Qwen3-8B abc 128", "INPUT must be a positive integer, found \"abc\"", true),
        ("submit 512 twelve", "OUTPUT must be a positive integer, found \"twelve\"", true),
        ("submit -5 10", "INPUT must be at least 1, found -5", true),
        ("submit 0 10", "INPUT must be at least 1, found 0", true),
        ("submit 5 10 x0", "repeat count", true),
        ("submit 5 10 at yesterday", "TIME must be a non-negative time", true),
        ("submit 5 10 at -3s", "TIME must be a non-negative time", true),
        ("submit gpt-5 10 10", "unknown model \"gpt-5\"", true),
        ("use hardware B200", "unknown GPU \"B200\"", true),
        ("use scheduler fifo", "unknown scheduler \"fifo\"", true),
        ("use color red", "cannot use \"color\"", true),
        ("use tp -2", "N must be at least 1, found -2", true),
        ("run until", "missing TIME", true),
        ("run forever", "expected \"until\"", true),
        ("step many", "N must be a positive integer", true),
        ("show", "missing ID", true),
        ("show x", "ID must be a positive integer", true),
        ("status now", "unexpected \"now\"", true),
        ("latency B200 qwen/Qwen3-8B decode", "unknown GPU \"B200\"", true),
        ("latency H100 qwen/Qwen3-8B sideways", "expected prefill or decode", true),
        ("latency H100 qwen/Qwen3-8B decode kv=-1", "kv must be a non-negative integer", true),
        ("latency H100 qwen/Qwen3-8B decode depth=3", "expected input=N", true),
        ("load file x", "expected \"trace\"", true),
        ("save report", "missing FOLDER", true),
        ("--json", "needs a command", false),
        ("submit 9223372036854775807 1", "INPUT must be at most 1000000000", true),
        ("latency H100 qwen/Qwen3-8B decode batch=100000000", "batch must be a positive integer up to 4096", true),
        ("use replicas 1000000000", "N must be at most 1024", true),
    ])
    func errorsQuoteTheBadTokenAndShowUsage(line: String, message: String, hasUsage: Bool) {
        let error = #expect(throws: ReplError.self) { try parser.parse(line) }
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        #expect((error?.usage != nil) == hasUsage)
    }

    @Test func hugeAndBinaryLinesGiveShortErrors() {
        let huge = String(repeating: "x", count: 1_000_000)
        let error = #expect(throws: ReplError.self) { try parser.parse(huge) }
        #expect((error?.description.count ?? .max) < 400)
        let binary = #expect(throws: ReplError.self) { try parser.parse("\u{0}\u{7}\u{1B}[31m 1 2") }
        #expect(binary?.message.contains("\\u{0}") == true)
    }
}
