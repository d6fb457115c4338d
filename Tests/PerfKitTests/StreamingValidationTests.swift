import Foundation
import PerfKit
import Testing

/// `validate(file:)` streams the file; it must find exactly what validating the loaded table finds.
@Suite struct StreamingValidationTests {
    /// A ~200k-row modelled table (so no row breaks a rule) with errors planted at known rows.
    static func plantedTable() throws -> (rows: [LatencyRow], planted: Set<Planted>) {
        let model = try RepositoryData.model("meta-llama/Llama-3.1-8B-Instruct")
        var rows = TableGenerator.rows(
            model: model, gpu: try RepositoryData.gpu("A100"), tp: 1,
            grid: GenerationGrid(tokenPoints: Array(1...8192), attentionInputPoints: [1, 8192], kvPoints: Array(stride(from: 0, to: 160_000, by: 2))))
        var planted: [Planted] = []
        for index in rows.indices where rows[index].layerName != "attn" && rows[index].input == 8192 {
            rows[index].latencyNs = LatencyRow.maxLatencyNs + 1
            planted.append(Planted(rule: .positiveLatency, index: index))
        }
        let decode = rows.indices.filter { rows[$0].layerName == "attn" && rows[$0].input == 1 && rows[$0].kvCache > 0 }
        for index in [decode[500], decode[40_000]] {
            rows[index].latencyNs = rows[index - 1].latencyNs - 1
            planted.append(Planted(rule: .monotoneKV, index: index))
        }
        let duplicate = decode[60_000]
        rows.insert(rows[duplicate], at: duplicate + 1)
        planted = planted.map { Planted(rule: $0.rule, index: $0.index > duplicate ? $0.index + 1 : $0.index) }
        planted.append(Planted(rule: .duplicateKey, index: duplicate + 1))
        return (rows, Set(planted))
    }

    struct Planted: Hashable { let rule: ValidationFinding.Rule; let index: Int }

    func validator(maxFindingsPerRule: Int = 1000) throws -> TableValidator {
        TableValidator(models: try RepositoryData.models().models, gpus: try RepositoryData.gpus().gpus, maxFindingsPerRule: maxFindingsPerRule)
    }

    @Test func aLargeStreamedTableHasTheLoadedTablesFindingsAndOnlyThePlantedErrors() throws {
        let (rows, planted) = try Self.plantedTable()
        #expect(rows.count > 200_000)
        let file = try RepositoryData.temporaryFolder().appendingPathComponent("large.csv")
        try LatencyTable(rows: rows, hasTPColumn: true).save(to: file)
        let streamed = try validator().validate(file: file)
        #expect(streamed == (try validator().validate(LatencyTable.load(from: file))))
        let errors = Set(streamed.filter { $0.severity == .error }.map { Planted(rule: $0.rule, index: $0.line - 2) })
        #expect(errors == planted)
    }

    @Test func findingsPastThePerRuleCapAreCountedInOneNote() throws {
        let (rows, planted) = try Self.plantedTable()
        let table = LatencyTable(rows: rows.enumerated().map { index, row in
            var row = row
            row.line = index + 2
            return row
        }, source: "t.csv")
        let findings = try validator(maxFindingsPerRule: 3).validate(table)
        let tooSlow = planted.filter { $0.rule == .positiveLatency }.count
        #expect(tooSlow > 3)
        #expect(findings.filter { $0.rule == .positiveLatency }.count == 4)
        let note = try #require(findings.last)
        #expect(note.description == "t.csv: error [positive-latency]: \(tooSlow - 3) more positive-latency finding(s) not listed; the first 3 by line are")
    }
}
