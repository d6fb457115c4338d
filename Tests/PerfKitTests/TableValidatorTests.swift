import Foundation
import PerfKit
import Testing

@Suite struct TableValidatorTests {
    func validator() throws -> TableValidator {
        TableValidator(models: try RepositoryData.models().models, gpus: try RepositoryData.gpus().gpus)
    }

    @Test(arguments: [
        ("negative_latency.csv", ValidationFinding.Rule.positiveLatency, 3),
        ("zero_latency.csv", .positiveLatency, 2),
        ("duplicate_key.csv", .duplicateKey, 4),
        ("non_monotone_input.csv", .monotoneInput, 4),
        ("non_monotone_kv.csv", .monotoneKV, 4),
        ("below_floor.csv", .physicalFloor, 2),
        ("nonzero_kv_dense.csv", .keyRange, 2),
        ("missing_column.csv", .schema, 0),
        ("quoted_field.csv", .schema, 0),
    ])
    func eachBrokenRuleIsReportedAtItsLine(file: String, rule: ValidationFinding.Rule, line: Int) throws {
        let url = RepositoryData.fixtures.appendingPathComponent("bad/\(file)")
        let findings = try validator().validate(file: url).filter { $0.severity == .error }
        let finding = try #require(findings.first { $0.rule == rule }, "\(findings)")
        #expect(finding.line == line)
        #expect(finding.description.contains(file))
        #expect(finding.description.contains("[\(rule.rawValue)]"))
    }

    /// Commands that use a table refuse rows no command can use, at the first one, with file and line.
    @Test(arguments: [("negative_latency.csv", 3), ("zero_latency.csv", 2), ("duplicate_key.csv", 4), ("nonzero_kv_dense.csv", 2)])
    func unusableRowsStopEveryCommandAtTheirLine(file: String, line: Int) throws {
        let table = try LatencyTable.load(from: RepositoryData.fixtures.appendingPathComponent("bad/\(file)"))
        #expect {
            try TableValidator.requireUsableRows(table)
        } throws: { error in
            "\(error)".contains("\(file):\(line):")
        }
    }

    @Test func shippedTablesAreUsableAndAPastHundredSecondsRowIsNot() throws {
        try TableValidator.requireUsableRows(LatencyTable.load(from: RepositoryData.root.appendingPathComponent("perf_model/A100.csv")))
        let slow = LatencyTable(rows: [LatencyRow(hardware: "A100", model: "m", layerName: "q_proj", input: 1, kvCache: 0, latencyNs: LatencyRow.maxLatencyNs + 1)])
        #expect(throws: PerfKitError.self) { try TableValidator.requireUsableRows(slow) }
        let farKey = LatencyTable(rows: [LatencyRow(hardware: "A100", model: "m", layerName: "attn", input: 1, kvCache: 10_000_000_000_000_000, latencyNs: 5)])
        #expect(throws: PerfKitError.self) { try TableValidator.requireUsableRows(farKey) }
    }

    @Test func partialTablesFailCoverage() throws {
        let findings = try validator().validate(file: RepositoryData.fixtures.appendingPathComponent("llmservingsim_excerpt.csv"))
        #expect(findings.contains { $0.rule == .coverage && $0.severity == .error })
        #expect(!findings.contains { [.monotoneInput, .monotoneKV, .duplicateKey, .positiveLatency].contains($0.rule) })
    }

    @Test func unknownModelsAndLayersAreWarningsNotErrors() throws {
        let table = LatencyTable(rows: [
            LatencyRow(hardware: "A100", model: "acme/Unknown", layerName: "q_proj", input: 1, kvCache: 0, latencyNs: 10, line: 2),
            LatencyRow(hardware: "A100", model: "acme/Unknown", layerName: "moe_router", input: 1, kvCache: 0, latencyNs: 10, line: 3),
        ], source: "t.csv")
        let findings = try validator().validate(table)
        #expect(findings.allSatisfy { $0.severity == .warning })
        #expect(findings.contains { $0.rule == .unknownLayer && $0.line == 3 })
    }
}
