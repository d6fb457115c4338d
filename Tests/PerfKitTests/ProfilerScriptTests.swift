import Foundation
import PerfKit
import Testing

/// The Python that runs `profiler/`: `$LLMSERVINGSIM_PYTHON` (default `python3`), when it can import torch.
enum ProfilerPython {
    static let interpreter: String? = {
        let interpreter = ProcessInfo.processInfo.environment["LLMSERVINGSIM_PYTHON"] ?? "python3"
        return (try? run(interpreter, ["-c", "import torch"]))?.status == 0 ? interpreter : nil
    }()

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// `profiler/profile_gpu.py --device cpu --tiny` end to end: its bundle passes our reader and validator, and its
/// table CSV is what `perfkit import` makes of that bundle. CI has no PyTorch, so there the suite is skipped.
@Suite(.enabled(if: ProfilerPython.interpreter != nil, "PyTorch is not importable by $LLMSERVINGSIM_PYTHON (default python3): the profiler is not run"))
struct ProfilerScriptTests {
    static func profile(_ out: URL, extra: [String] = []) throws -> (status: Int32, output: String) {
        let script = RepositoryData.root.appendingPathComponent("profiler/profile_gpu.py").path
        return try ProfilerPython.run(ProfilerPython.interpreter!, [script, "--device", "cpu", "--tiny", "--tp", "1,2", "--out", out.path] + extra)
    }

    @Test func tinyCPUBundleReadsValidatesAndImportsAsItsCSV() throws {
        let out = try RepositoryData.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try Self.profile(out)
        #expect(result.status == 0, "\(result.output)")
        let variant = out.appendingPathComponent("CPU/meta-llama/Llama-3.1-8B-tiny/bf16")
        let configURL = variant.appendingPathComponent("config.json")
        let model = try ModelConfig(id: "meta-llama/Llama-3.1-8B-tiny", json: try Data(contentsOf: configURL), file: configURL.path)

        let validator = ProfileValidator(models: [model], gpus: try RepositoryData.gpus().gpus)
        let findings = validator.validate(folder: variant)
        #expect(findings.filter { $0.severity == .error }.isEmpty, "\(findings)")

        let meta = try BundleMeta(url: variant.appendingPathComponent("meta.yaml"))
        #expect(meta.tpDegrees == [1, 2])
        #expect(meta.maxNumBatchedTokens == 32)
        #expect(meta.yaml.node("timing.method") != nil)
        #expect(try meta.yaml.string("timing.method")?.contains("perf_counter") == true)

        let table = try LatencyTable.load(from: out.appendingPathComponent("CPU.csv"))
        for tp in [1, 2] {
            let profile = try BundleReader.read(variant, tp: tp, model: model.id)
            #expect(profile.dense.map(\.name).sorted() == BundleCatalog.of(.llama)!.denseLayers)
            #expect(profile.attention?.points.contains { $0.prefillChunk == 32 && $0.decodeCount == 0 } == true)
            let imported = try ProfileImporter.rows(profile, model: model, hardware: "CPU").map(Self.key)
            let written = table.rows.filter { $0.tp == tp }.map(Self.key)
            #expect(Set(imported) == Set(written))
            #expect(imported.count == written.count)
        }
    }

    @Test func refusesToOverwriteWithoutForce() throws {
        let out = try RepositoryData.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try Self.profile(out).status == 0)
        let again = try Self.profile(out)
        #expect(again.status != 0)
        #expect(again.output.contains("exists; pass --force"))
    }

    static func key(_ row: LatencyRow) -> String {
        "\(row.model),\(row.layerName),\(row.input),\(row.kvCache),\(row.latencyNs),\(row.tp)"
    }
}

/// Without PyTorch the profiler says what it needs instead of a traceback.
@Suite(.enabled(if: ProfilerPython.interpreter == nil, "PyTorch is importable: the missing-PyTorch message is not shown"))
struct ProfilerWithoutTorchTests {
    @Test func itNamesPyTorchAndExitsNonZero() throws {
        let script = RepositoryData.root.appendingPathComponent("profiler/profile_gpu.py").path
        let result = try ProfilerPython.run(ProcessInfo.processInfo.environment["LLMSERVINGSIM_PYTHON"] ?? "python3", [script, "--help"])
        #expect(result.status != 0)
        #expect(result.output.contains("the profiler needs PyTorch") && !result.output.contains("Traceback"), "\(result.output)")
    }
}
