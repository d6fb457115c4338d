import ArgumentParser
import Foundation
import PerfKit
import SimEngine

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay a real vLLM run with its engine arguments and compare: TTFT, TPOT, E2E, throughput, duration.",
        discussion: """
            DIR is a run folder as LLMServingSim publishes them (DIR/vllm/meta.json, requests.jsonl, timeseries.csv; \
            the trace is meta.json's dataset_path). With --out OUT, writes OUT/pairs.csv (each request, vLLM and \
            simulator, ms), OUT/latency_cdf.svg, OUT/queues.svg, OUT/report.json and OUT/summary.txt.
            """)

    @Argument(help: "Run folder.") var dir: String?
    @Option(help: "meta.json elsewhere than DIR/vllm/meta.json.") var meta: String?
    @Option(help: "Trace elsewhere than meta.json's dataset_path.") var trace: String?
    @Option(help: "Measured timings: requests.jsonl, or vllm bench serve --save-result JSON (default DIR/vllm/requests.jsonl).") var measured: String?
    @Option(help: "GPU name (default: from meta.json's device name or the run folder's parent).") var hardware: String?
    @Option(help: "Model id (default: meta.json's model).") var model: String?
    @Option(help: "Engine profile (default: from meta.json's vllm_version).") var engine: String?
    @Option(help: "Latency table file (default perf_model/<GPU>.csv).") var table: String?
    @Option(help: "Measured latencies: a bundle or Vidur folder, one of our CSVs, or \"measured\" (profiles/measured/ for the run's GPU, model, tp).") var profile: String?
    @Flag(inversion: .prefixedNo, help: "Override the run's prefix caching.") var enablePrefixCaching: Bool?
    @Flag(inversion: .prefixedNo, help: "Override the run's full-sequence admission gate.") var schedulerReserveFullIsl: Bool?
    @Option(parsing: .unconditional, help: "Host time per step, ms, replacing the engine profile's.") var cpuOverheadMs: Double?
    @Option(help: "Folder holding model_configs/, perf_model/ and hardware/.") var dataDir: String?
    @Option(help: "Folder for pairs.csv, the SVG charts, report.json and summary.txt (must not hold them already).") var out: String?
    @Flag(help: "Print the report as JSON.") var json = false

    static let outputs = ["pairs.csv", "latency_cdf.svg", "queues.svg", "report.json", "summary.txt"]

    func run() throws {
        do throws(SimEngineError) {
            try replay()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func replay() throws(SimEngineError) {
        guard dir != nil || meta != nil else { throw SimEngineError("give a run folder, or --meta (and --trace, --measured)", location: "replay") }
        let outFolder = out.map { URL(fileURLWithPath: $0) }
        if let outFolder {
            let existing = Self.outputs.filter { FileManager.default.fileExists(atPath: outFolder.appendingPathComponent($0).path) }
            guard existing.isEmpty else {
                throw SimEngineError("already holds \(existing.joined(separator: ", ")); remove them or choose another --out", location: outFolder.path)
            }
        }
        let data: DataDirectory
        do { data = try DataDirectory.locate(explicit: dataDir) } catch { throw SimEngineError(error) }
        let inputs = ReplayInputs(
            runFolder: dir.map { URL(fileURLWithPath: $0) }, meta: meta.map { URL(fileURLWithPath: $0) }, trace: trace.map { URL(fileURLWithPath: $0) },
            measured: measured.map { URL(fileURLWithPath: $0) }, hardware: hardware, model: model, engine: engine, tableFile: table, profile: profile,
            enablePrefixCaching: enablePrefixCaching, reserveFullIsl: schedulerReserveFullIsl, cpuOverheadMs: cpuOverheadMs)
        let plan = try ReplayPlan(inputs: inputs, loader: try EngineLoader(data: data))
        let name = dir ?? meta ?? "run"
        let result = ReplayRunner.run(plan, runName: name)
        print(json ? String(decoding: result.report.jsonData(), as: UTF8.self) : result.report.text())
        guard let outFolder else { return }
        let pairs = result.pairs.map { pair in
            let v = pair.vllm, s = pair.simulator
            func ms(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "" }
            return "\(v.index),\(v.inputTokens),\(v.outputTokens),\(ms(v.ttftMs)),\(ms(s.ttftMs)),\(ms(v.tpotMs)),\(ms(s.tpotMs)),\(ms(v.e2eMs)),\(ms(s.e2eMs)),\(pair.cachedTokens),\(pair.preemptions)"
        }
        let csv = "request,input,output,vllm_ttft_ms,sim_ttft_ms,vllm_tpot_ms,sim_tpot_ms,vllm_e2e_ms,sim_e2e_ms,sim_cached_tokens,sim_preemptions\n"
            + pairs.joined(separator: "\n") + "\n"
        let files: [(String, Data)] = [
            ("pairs.csv", Data(csv.utf8)),
            ("latency_cdf.svg", Data(ReplayCharts.latencyCDFs(result.pairs, title: "vLLM vs simulator: \(name)").utf8)),
            ("queues.svg", Data(ReplayCharts.queues(vllm: plan.timeseries, simulator: result.timeseries, title: "Requests running and waiting: \(name)").utf8)),
            ("report.json", result.report.jsonData()),
            ("summary.txt", Data((result.report.text() + "\n").utf8)),
        ]
        do {
            try FileManager.default.createDirectory(at: outFolder, withIntermediateDirectories: true)
            for (file, contents) in files { try AtomicFile.write(contents, to: outFolder.appendingPathComponent(file)) }
        } catch let error as PerfKitError {
            throw SimEngineError(error)
        } catch {
            throw SimEngineError("cannot write: \(error.localizedDescription)", location: outFolder.path)
        }
        FileHandle.standardError.write(Data("wrote \(Self.outputs.joined(separator: ", ")) to \(outFolder.path)\n".utf8))
    }
}
