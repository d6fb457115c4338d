import Foundation
import PerfKit
import Repl
import SimEngine
import Testing

@Suite struct ReplSessionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let loader = try! EngineLoader(data: DataDirectory(url: root))

    /// Runs `lines` through a fresh session with the scripted reader; returns the session and everything printed.
    func script(_ lines: [String]) throws -> (session: ReplSession, output: [String]) {
        var session = try ReplSession(loader: Self.loader, hardware: "A100", model: "qwen/Qwen3-8B")
        var reader = ScriptedLineReader(lines: lines)
        var output: [String] = []
        ReplDriver.run(session: &session, reader: &reader, write: { output.append($0) })
        return (session, output)
    }

    func prefillNs(_ model: String, _ hardware: String, input: Int) throws -> Int64 {
        let (table, gpu) = try Self.loader.table(model: model, hardware: hardware, tp: 1)
        let cost = IterationCost(table: table, allReduce: AllReduceModel(gpu: gpu))
        return SchedulerConfig().engine.stepNs(gpuNs: Int64(cost.ns(sequences: [(input, 0)], emitting: 1).rounded(.up)), sequences: 1)
    }

    @Test func aLoneRequestsTTFTIsTheTablesPrefillTime() throws {
        let (_, output) = try script(["submit qwen/Qwen3-8B 512 128", "run", "show 1 --json"])
        let json = try #require(output.last)
        let request = try JSONDecoder().decode(ReplRequest.self, from: Data(json.utf8))
        let record = try #require(request.record)
        #expect(record.ttft.nanoseconds == (try prefillNs("qwen/Qwen3-8B", "A100", input: 512)))
        #expect(request.phase == .finished && request.generatedTokens == 128)
        #expect(output[1].contains(String(format: "TTFT %.2f ms", record.ttft.milliseconds)))
    }

    @Test func latencyIncludesTheHostOverheadAndSaysWhenItExtrapolated() throws {
        let (_, output) = try script(["latency A100 qwen/Qwen3-8B decode kv=1000 batch=8 --json", "latency A100 qwen/Qwen3-8B prefill input=8192 batch=64"])
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(output[0].utf8)) as? [String: Any])
        let gpu = try #require(answer["gpuMs"] as? Double), host = try #require(answer["hostOverheadMs"] as? Double)
        let stepNs = SchedulerConfig().engine.stepNs(gpuNs: Int64((gpu * 1e6).rounded()), sequences: 8)
        #expect(host >= 0 && abs(host - (Double(stepNs) / 1e6 - gpu)) < 1e-6)
        #expect(abs((answer["iterationMs"] as? Double ?? 0) - (gpu + host)) < 1e-9)
        #expect((answer["extrapolatedLayers"] as? [String])?.isEmpty == true)
        #expect(output[1].contains("+ host"))
        #expect(output[1].contains("extrapolated past the table's points: "), "\(output[1])")
    }

    @Test func aFutureArrivalIsNotShownWaitingOnAReplica() throws {
        let (_, output) = try script(["use replicas 2", "submit 256 8 at 5s", "status", "requests", "show 1", "run until 1s", "show 1 --json"])
        let status = try #require(output.first { $0.contains("busy until") })
        #expect(status.contains("1 not arrived yet"), "\(status)")
        #expect(!status.contains("not arrived  "), "\(status)")
        #expect(output.contains { $0.contains("phase") && $0.contains("not arrived") })
        #expect(output.contains { $0.hasPrefix("request 1:") && $0.contains("not arrived") })
        let request = try JSONDecoder().decode(ReplRequest.self, from: Data(output.last!.utf8))
        #expect(!request.arrived)
    }

    @Test func useHardwareChangesTheGPUOfNewEngines() throws {
        let (_, output) = try script(["use hardware H100", "submit 1024 2", "run", "show 1 --json"])
        let request = try JSONDecoder().decode(ReplRequest.self, from: Data(output.last!.utf8))
        #expect(request.hardware == "H100")
        #expect(request.record?.ttft.nanoseconds == (try prefillNs("qwen/Qwen3-8B", "H100", input: 1024)))
    }

    @Test func errorsOfLinesThatAskForJSONAreJSON() throws {
        let (_, output) = try script(["show 9 --json", "frobnicate --json", "show 9"])
        for answer in output.prefix(2) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any], "\(answer)")
            #expect(object["error"] is String)
        }
        #expect(output[2].hasPrefix("error: no request 9"))
    }

    @Test func aTensorParallelDegreeTheModelCannotSplitIsRefusedWhenSet() throws {
        let (session, output) = try script(["use tp 3", "use tp 2"])
        #expect(output[0].contains("tp 3 must divide qwen/Qwen3-8B's 32 attention heads"), "\(output)")
        #expect(session.tp == 2)
        let (switched, other) = try script(["use model meta-llama/Llama-3.1-70B-Instruct", "use tp 64", "use model qwen/Qwen3-8B"])
        #expect(other[2].contains("tp 64 must divide qwen/Qwen3-8B's 32 attention heads"), "\(other)")
        #expect(switched.defaultModel == "meta-llama/Llama-3.1-70B-Instruct")
        #expect(throws: ReplError.self) { try ReplSession(loader: Self.loader, model: "qwen/Qwen3-8B", tp: 3) }
    }

    @Test func runUntilStopsTheClockAndStepAdvancesByEvents() throws {
        var (session, output) = try script(["submit 512 400 x4 at +1s", "run until 1.5s", "status"])
        #expect(session.clock == .seconds(1.5))
        #expect(output.last!.contains("running"))
        let stepped = try session.execute(ReplLine(command: .step(count: 3), json: false))
        #expect(stepped.contains("clock"))
        #expect(session.clock > .seconds(1.5))
    }

    @Test func badLinesPrintErrorsAndLoseNoState() throws {
        let (session, output) = try script([
            "submit 100 10 x2", "bogus", "submit 100", String(repeating: "z", count: 1_000_000), "\u{0}\u{FFFD}", "show 42", "run", "stats --json",
        ])
        #expect(output.filter { $0.hasPrefix("error:") }.count == 5)
        let summaries = try JSONDecoder().decode([RunSummary].self, from: Data(output.last!.utf8))
        #expect(summaries.first?.completed == 2)
        #expect(session.clock > .zero)
    }

    @Test func aTraceLoadsRunsAndSavesAReport() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("repl-\(UUID().uuidString)")
        let trace = Self.root.appendingPathComponent("fixtures/traces/lognormal_4rps.jsonl").path
        let (_, output) = try script(["load trace \(trace)", "run", "save report \(folder.path)", "requests"])
        #expect(output[0].hasPrefix("loaded 200 requests"))
        let csv = try String(contentsOf: folder.appendingPathComponent("requests.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 201)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("summary.json").path))
        #expect(output.last!.split(separator: "\n").count == 201)
    }

    @Test func latencyMatchesPerfKitsIterationCost() throws {
        let (_, output) = try script(["latency H100 meta-llama/Llama-3.1-8B-Instruct decode kv=1024 batch=16 --json"])
        struct Answer: Decodable { var gpuMs: Double }
        let answer = try JSONDecoder().decode(Answer.self, from: Data(output[0].utf8))
        let (table, gpu) = try Self.loader.table(model: "meta-llama/Llama-3.1-8B-Instruct", hardware: "H100", tp: 1)
        let expected = IterationCost(table: table, gpu: gpu).ns(sequences: Array(repeating: (1, 1024), count: 16), emitting: 16) / 1e6
        #expect(abs(answer.gpuMs - expected) < 1e-9)
    }

    @Test func anInterruptStopsARunAndTheSessionGoesOn() throws {
        var session = try ReplSession(loader: Self.loader, hardware: "A100", model: "qwen/Qwen3-8B")
        _ = try session.execute(ReplLine(command: .submit(model: "", input: 512, output: 2000, count: 50, at: nil, every: .milliseconds(10)), json: false))
        var polls = 0
        let output = try session.execute(ReplLine(command: .run(until: nil), json: false), interrupted: { polls += 1; return polls > 100 })
        #expect(output.contains("interrupted"))
        #expect(session.clock > .zero)
        let rest = try session.execute(ReplLine(command: .run(until: nil), json: false))
        #expect(rest.contains("0 request(s) still in flight"))
    }

    @Test func rejectionsAreReportedAtSubmit() throws {
        let (_, output) = try script(["submit facebook/opt-6.7b 2000 100"])
        #expect(output[0].contains("rejected") && output[0].contains("2048"))
    }
}
