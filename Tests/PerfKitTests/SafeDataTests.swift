import Foundation
import PerfKit
import TestSupport
import Testing

/// Shipped data stays safe: `extend` does not write over a table without `--force`, warns about a GPU no tool knows,
/// and one unsupported model config does not break the catalog.
@Suite struct SafeDataTests {
    func perfkit(_ arguments: [String]) async throws -> Tool.Outcome { try await Tool.run("perfkit", arguments) }

    @Test func extendRefusesToWriteOverAnExistingTableWithoutForce() async throws {
        let out = try RepositoryData.temporaryFolder().appendingPathComponent("L40.csv")
        try Data("kept\n".utf8).write(to: out)
        let refused = try await perfkit(["extend", "--from", "RTX3090", "--to", "L40", "1.8", "--out", out.path])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(try String(contentsOf: out, encoding: .utf8) == "kept\n")
        let forced = try await perfkit(["extend", "--from", "RTX3090", "--to", "L40", "1.8", "--out", out.path, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try LatencyTable.load(from: out).hardwareNames == ["L40"])
    }

    @Test func extendToAGPUMissingFromTheSpecsWarnsThatNoToolCanUseIt() async throws {
        let out = try RepositoryData.temporaryFolder().appendingPathComponent("B300.csv")
        let result = try await perfkit(["extend", "--from", "RTX3090", "--to", "B300", "2", "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("no tool can use this table"), "\(result.stderr)")
        #expect(result.stderr.contains("gpus.json"), "\(result.stderr)")
    }

    @Test func anUnsupportedModelConfigIsSkippedWithOneWarning() throws {
        let folder = try RepositoryData.temporaryFolder()
        let google = folder.appendingPathComponent("google")
        try FileManager.default.createDirectory(at: google, withIntermediateDirectories: true)
        try Data(#"{"model_type": "gemma2", "hidden_size": 3584}"#.utf8).write(to: google.appendingPathComponent("gemma-2-9b.json"))
        let llama = Tool.repositoryRoot.appendingPathComponent("model_configs/meta-llama/Llama-3.1-8B.json")
        let meta = folder.appendingPathComponent("meta-llama")
        try FileManager.default.createDirectory(at: meta, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: llama, to: meta.appendingPathComponent("Llama-3.1-8B.json"))
        var warnings: [String] = []
        let catalog = try ModelCatalog(folder: folder) { warnings.append($0) }
        #expect(catalog.models.map(\.id) == ["meta-llama/Llama-3.1-8B"])
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("gemma-2-9b.json") == true)
        #expect(warnings.first?.contains("gemma2") == true)
        #expect(warnings.first?.contains("llama, mistral, qwen2, qwen3, opt") == true)
        // Asked for by name, it is still an error that says why.
        #expect(throws: PerfKitError.self) { try catalog.model("google/gemma-2-9b") }
    }
}
