import Foundation
import PerfKit
import Testing

@Suite struct LatencyTableCSVTests {
    @Test func llmServingSimExcerptLoadsAndSavesUnchanged() throws {
        let url = RepositoryData.fixtures.appendingPathComponent("llmservingsim_excerpt.csv")
        let table = try LatencyTable.load(from: url)
        #expect(!table.hasTPColumn)
        #expect(Set(table.rows.compactMap(\.layer)).count == 15)
        #expect(table.rows.allSatisfy { $0.layer != nil && $0.tp == 1 })
        #expect(table.csvData() == (try Data(contentsOf: url)))
    }

    @Test func excerptCompilesForItsModel() throws {
        let table = try LatencyTable.load(from: RepositoryData.fixtures.appendingPathComponent("llmservingsim_excerpt.csv"))
        let compiled = try ModelLatencyTable(table: table, model: try RepositoryData.model("meta-llama/Llama-3.1-8B-Instruct"))
        #expect(compiled.latencyNs(.qProj, tokens: 1) == 41000)
    }

    @Test func tpAndExtraColumnsRoundTrip() throws {
        let text = "hardware,model,layer_name,input,kv_cache,latency(ns),tp,note\r\nA100,m,q_proj,1,0,900,2,measured\r\n\r\n"
        let table = try parse(text)
        #expect(table.rows[0].tp == 2)
        #expect(table.extraColumns == ["note"])
        #expect(table.rows[0].extra == ["measured"])
        #expect(String(decoding: table.csvData(), as: UTF8.self) == "hardware,model,layer_name,input,kv_cache,latency(ns),tp,note\nA100,m,q_proj,1,0,900,2,measured\n")
    }

    @Test func decimalLatenciesAreRounded() throws {
        #expect(try parse("hardware,model,layer_name,input,kv_cache,latency(ns)\nA100,m,q_proj,1,0,900.6\n").rows[0].latencyNs == 901)
    }

    @Test(arguments: [
        ("missing_column.csv", "missing_column.csv:1", "kv_cache"),
        ("text_in_number.csv", "text_in_number.csv:3:46", "column input: expected an integer, found \"two\""),
        ("quoted_field.csv", "quoted_field.csv:3:6", "quoted"),
        ("short_row.csv", "short_row.csv:3:1", "expected 6 fields"),
    ])
    func malformedFilesNameFileLineAndColumn(file: String, location: String, message: String) {
        let error = #expect(throws: PerfKitError.self) {
            try LatencyTable.load(from: RepositoryData.fixtures.appendingPathComponent("bad/\(file)"))
        }
        #expect(error?.location.hasSuffix(location) == true, "\(String(describing: error))")
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test func columnOfABadNumberIsItsCharacterOffset() {
        let error = #expect(throws: PerfKitError.self) { try parse("hardware,model,layer_name,input,kv_cache,latency(ns)\nA,m,q_proj,1,x,5\n") }
        #expect(error?.location == "t.csv:2:14")
    }

    @Test func missingFileIsAnError() {
        let error = #expect(throws: PerfKitError.self) { try LatencyTable.load(from: URL(fileURLWithPath: "/nonexistent/x.csv")) }
        #expect(error?.location == "/nonexistent/x.csv")
    }

    @Test func saveIsAtomicAndLeavesNoTemporaryFile() throws {
        let folder = try RepositoryData.temporaryFolder()
        let url = folder.appendingPathComponent("t.csv")
        try LatencyTable(rows: [LatencyRow(hardware: "A100", model: "m", layerName: "q_proj", input: 1, kvCache: 0, latencyNs: 5)]).save(to: url)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["t.csv"])
    }

    private func parse(_ text: String) throws -> LatencyTable {
        let folder = try RepositoryData.temporaryFolder()
        let url = folder.appendingPathComponent("t.csv")
        try Data(text.utf8).write(to: url)
        do {
            return try LatencyTable.load(from: url)
        } catch {
            throw PerfKitError(error.message, location: error.location.replacingOccurrences(of: url.path, with: "t.csv"))
        }
    }
}
