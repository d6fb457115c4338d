import Foundation
import TestSupport
import Testing

/// The small things a new user hits: `--version`, traces to stdout, bad SLOs, printed paths, summary.json's last byte.
@Suite struct RoughEdgesTests {
    /// Runs a tool exactly with `arguments` (no `--data-dir` added), from the repository root.
    func bare(_ tool: String, _ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await onDedicatedThread {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bare-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let out = folder.appendingPathComponent("out"), err = folder.appendingPathComponent("err")
            let child = try ChildProcess(Tool.url(tool).path, arguments, output: out, errors: err)
            let status = child.waitOrKill(seconds: 120) ?? -1
            return (status, (try? String(contentsOf: out, encoding: .utf8)) ?? "", (try? String(contentsOf: err, encoding: .utf8)) ?? "")
        }
    }

    @Test(arguments: ["simulate", "perfkit", "serve", "repl"]) func everyToolHasVersion(tool: String) async throws {
        let result = try await bare(tool, ["--version"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).range(of: #"^[0-9]+\.[0-9]+\.[0-9]+$"#, options: .regularExpression) != nil,
                "\(result.stdout)")
    }

    @Test func tpotIsNotApplicableWhenEveryOutputIsOneToken() async throws {
        let result = try await Tool.run("simulate", ["--requests", "4", "--rate", "10", "--output-len", "1", "--no-progress"])
        #expect(result.status == 0, "\(result.stderr)")
        let tpot = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("TPOT") })
        #expect(tpot.contains("n/a"), "\(tpot)")
        let ttft = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("TTFT") })
        #expect(!ttft.contains("n/a"))
    }

    @Test func simulateHelpShowsRunsOptions() async throws {
        let result = try await bare("simulate", ["--help"])
        #expect(result.status == 0)
        for option in ["--trace", "--max-num-seqs", "--slo-ttft-ms", "--out"] { #expect(result.stdout.contains(option), "\(option)") }
    }

    @Test func makeTraceWritesToStdoutWithOutDash() async throws {
        let result = try await bare("simulate", ["make-trace", "--requests", "3", "--rate", "2", "--out", "-"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "input_toks\toutput_toks\tarrival_time_ns")
        #expect(lines.count == 4)
    }

    @Test(arguments: [["--slo-ttft-ms", "-5"], ["--slo-tpot-ms", "nan"], ["--slo-ttft-ms", "0"]])
    func negativeZeroOrNaNSLOsAreRejected(arguments: [String]) async throws {
        let result = try await Tool.run("simulate", ["--requests", "2"] + arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(arguments[0].dropFirst(2)), "\(result.stderr)")
    }

    @Test func printedPathsHaveNoDoubleSlashAndSummaryEndsWithANewline() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("edges-\(UUID().uuidString)")
        let result = try await Tool.run("simulate", ["--requests", "3", "--rate", "5", "--out", folder.path + "/", "--no-progress"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("//"), "\(result.stderr)")
        let summary = try Data(contentsOf: folder.appendingPathComponent("summary.json"))
        #expect(summary.last == UInt8(ascii: "\n"))
    }
}
