import Foundation
import TestSupport
import Testing

/// The real `simulate search`: N shard processes merged give the bytes one process gives; files; errors.
@Suite struct SearchCLITests {
    static let grid = ["search", "--hardware", "A100,H100", "--tp", "1,2,3", "--replicas", "1,2", "--slo-ttft-ms", "500", "--slo-tpot-ms", "50",
                       "--requests", "40", "--output-len", "lognormal:96:0.5", "--seeds", "2", "--rate-resolution", "10", "--min-span-s", "5"]

    func temporaryFolder() -> URL { FileManager.default.temporaryDirectory.appendingPathComponent("search-\(UUID().uuidString)") }

    @Test func shardProcessesMergedPrintTheSameReportAsOneProcess() async throws {
        let whole = try await Tool.run("simulate", Self.grid + ["--json"])
        #expect(whole.status == 0, "\(whole.stderr)")
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Three processes at once, as an array job would run them.
        let shards = try await withThrowingTaskGroup(of: Tool.Outcome.self) { group in
            for index in 0..<3 {
                group.addTask { try await Tool.run("simulate", Self.grid + ["--shard", "\(index)/3", "--out", folder.appendingPathComponent("s\(index)").path]) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(shards.allSatisfy { $0.status == 0 }, "\(shards.map(\.stderr))")
        let parts = (0..<3).map { folder.appendingPathComponent("s\($0)").path }
        let merged = try await Tool.run("simulate", ["search", "merge"] + parts + ["--json"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == whole.stdout)
        let text = try await Tool.run("simulate", ["search", "merge"] + parts + ["--out", folder.appendingPathComponent("report").path])
        #expect(text.stdout.contains("Pareto set") && text.stdout.contains("skipped"), "\(text.stdout)")
        for name in ["report.json", "configurations.csv", "capacity.svg", "pareto.svg", "latency.svg"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("report/\(name)").path), "\(name)")
        }
        let csv = try String(contentsOf: folder.appendingPathComponent("report/configurations.csv"), encoding: .utf8)
        // Quoted cells (skip reasons) hold commas of their own.
        let widths = Set(csv.split(separator: "\n").map { line in
            line.replacing(/"[^"]*"/, with: "reason").split(separator: ",", omittingEmptySubsequences: false).count
        })
        #expect(widths == [22], "every CSV row has the header's 22 columns: \(widths)")
        let missing = try await Tool.run("simulate", ["search", "merge", parts[0], parts[2]])
        #expect(missing.status != 0 && missing.stderr.contains("shard(s) 1 of 3 missing"), "\(missing.stderr)")
    }

    @Test(arguments: [
        (["search", "--slo-ttft-ms", "500", "--rate", "5"], "the search chooses the rates"),
        (["search"], "at least one target"),
        (["search", "--slo-ttft-ms", "500", "--tp", "1..x"], "tp: expected integers"),
        (["search", "--slo-ttft-ms", "500", "--hardware", "B300"], "unknown GPU"),
        (["search", "--slo-ttft-ms", "500", "--shard", "1/2"], "give --out DIR"),
        (["search", "--slo-ttft-ms", "500", "--percentile", "p0"], "percentile"),
        (["search", "merge", "/nonexistent-folder"], "no such file or folder"),
    ])
    func badInvocationsSayWhatIsWrong(arguments: [String], message: String) async throws {
        let result = try await Tool.run("simulate", arguments)
        #expect(result.status == 1)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}
