import Foundation
import PerfKit
import Testing

@Suite struct TableExtenderTests {
    let model = "meta-llama/Llama-3.1-8B-Instruct"

    func source() throws -> LatencyTable {
        LatencyTable(rows: TableGenerator.rows(model: try RepositoryData.model(model), gpu: try RepositoryData.gpu("RTX3090"), tp: 1))
    }

    @Test func aFactorDividesEveryLatencyAndRenamesTheHardware() throws {
        let original = try source()
        let extended = try TableExtender.extend(original, to: "L40", factor: 1.8)
        #expect(extended.rows.allSatisfy { $0.hardware == "L40" })
        for (before, after) in zip(original.rows, extended.rows) {
            #expect(after.latencyNs == max(1, Int64((Double(before.latencyNs) / 1.8).rounded())))
        }
    }

    @Test(arguments: [0.0, -1.5, Double.nan, Double.infinity])
    func nonPositiveFactorsAreRefused(factor: Double) throws {
        #expect(throws: PerfKitError.self) { try TableExtender.extend(try source(), to: "L40", factor: factor) }
    }

    @Test func rooflineAwareExtensionScalesDecodeByBandwidthAndPrefillByCompute() throws {
        let from = try RepositoryData.gpu("RTX3090")
        let to = try RepositoryData.gpu("H100")
        let extended = try TableExtender.extend(try source(), from: from, to: to, models: try RepositoryData.models())
        let original = try source()
        func ratio(_ layer: String, _ input: Int) -> Double {
            let index = original.rows.firstIndex { $0.layerName == layer && $0.input == input }!
            return Double(original.rows[index].latencyNs) / Double(extended.rows[index].latencyNs)
        }
        let decode = ratio("gate_proj", 1)
        let prefill = ratio("gate_proj", 8192)
        #expect(decode > 2.5 && decode < 4.5, "decode speed-up \(decode)")
        #expect(prefill > 8, "prefill speed-up \(prefill)")
        let findings = TableValidator(models: [try RepositoryData.model(model)], gpus: [to]).validate(extended)
        #expect(!findings.contains { $0.rule == .physicalFloor })
    }

    @Test func aSingleFactorCanBreakThePhysicalFloorAndValidationSaysSo() throws {
        let extended = try TableExtender.extend(try source(), to: "L40", factor: 1.8)
        let findings = TableValidator(models: [try RepositoryData.model(model)], gpus: [try RepositoryData.gpu("L40")]).validate(extended)
        #expect(findings.contains { $0.rule == .physicalFloor })
    }
}
