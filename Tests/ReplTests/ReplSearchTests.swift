import Foundation
import PerfKit
import Repl
import SimEngine
import Testing

/// `search` and `sweep` in the REPL: parsing, errors for bad lines, and real output on the model in use.
@Suite struct ReplSearchTests {
    static let parser = ReplParser(models: ["qwen/Qwen3-8B"], gpus: ["A100", "H100"])

    func script(_ lines: [String]) throws -> [String] {
        var session = try ReplSession(loader: ReplSessionTests.loader, hardware: "A100", model: "qwen/Qwen3-8B")
        var reader = ScriptedLineReader(lines: lines)
        var output: [String] = []
        ReplDriver.run(session: &session, reader: &reader, write: { output.append($0) })
        return output
    }

    @Test func sweepAndSearchLinesParse() throws {
        let sweep = try #require(try Self.parser.parse("sweep rate 2..20 step 2 --requests 50"))
        #expect(sweep.command == .sweep(from: 2, through: 20, step: 2, options: ReplSearchOptions(values: ["requests": "50"])))
        let search = try #require(try Self.parser.parse("search --tp 1,2 --slo-ttft-ms 500 --json"))
        #expect(search == ReplLine(command: .search(ReplSearchOptions(values: ["tp": "1,2", "slo-ttft-ms": "500"])), json: true))
    }

    @Test(arguments: [
        ("sweep 2..20", "expected \"rate\""),
        ("sweep rate 20..2", "rate range"),
        ("sweep rate 2..20 step 0", "STEP must be a positive"),
        ("sweep rate 1..100000 step 1", "more than the 1000"),
        ("search --bogus 1", "unexpected \"--bogus\""),
        ("search --tp", "missing a value for --tp"),
        ("sweep rate 2..4 --tp 2", "unexpected \"--tp\""),
    ])
    func badLinesSayWhatIsWrongWithTheUsage(line: String, message: String) {
        #expect { try Self.parser.parse(line) } throws: { error in
            let text = "\(error)"
            return text.contains(message) && text.contains("usage:")
        }
    }

    @Test func sweepPrintsPercentilesForEachRateAndLatencyGrowsWithRate() throws {
        let output = try script(["sweep rate 2..10 step 4 --requests 40 --output-len 64 --min-span-s 3", "sweep rate 2..10 step 4 --requests 40 --output-len 64 --min-span-s 3 --json"])
        #expect(output.count == 2)
        #expect(output[0].contains("TTFT p50") && output[0].split(separator: "\n").count == 5, "\(output[0])")
        let points = try JSONDecoder().decode([RateSweep.Point].self, from: Data(output[1].utf8))
        #expect(points.map(\.rate) == [2, 6, 10])
        #expect(points.first!.e2eMs.p90 <= points.last!.e2eMs.p90)
    }

    @Test func searchRunsOnTheModelInUseAndErrorsKeepTheSessionGoing() throws {
        let output = try script([
            "search --slo-ttft-ms 500 --slo-tpot-ms 50 --requests 30 --seeds 1 --output-len 64 --hardware A100,H100 --min-span-s 3",
            "search --requests 30",
            "search --slo-ttft-ms 500 --hardware B300",
            "status",
        ])
        #expect(output.count == 4)
        #expect(output[0].contains("capacity under TTFT p90 ≤ 500 ms") && output[0].contains("Qwen3-8B H100 tp1×1"), "\(output[0])")
        #expect(output[1].contains("at least one target"), "\(output[1])")
        #expect(output[2].contains("unknown GPU"), "\(output[2])")
    }
}
