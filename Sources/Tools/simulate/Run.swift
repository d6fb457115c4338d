import ArgumentParser
import Foundation
import PerfKit
import SimEngine

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a trace or a synthetic workload and report per-request and summary latencies.",
        discussion: """
            With --out DIR, writes DIR/requests.csv (one row per finished request, LLMServingSim's columns first, \
            times in ns), DIR/summary.json and, when requests were refused, DIR/rejected.csv.
            """)

    @Option(help: "Folder holding model_configs/, perf_model/ and hardware/.") var dataDir: String?
    @Option(help: "Model id (default: a --profile bundle's model, else meta-llama/Llama-3.1-8B-Instruct).") var model: String?
    @Option(help: "GPU name (default: a --profile bundle's GPU, else A100).") var hardware: String?
    @Option(parsing: .unconditional, help: "Tensor-parallel degree of each replica.") var tp: Int = 1
    @Option(parsing: .unconditional, help: "Replicas behind the router.") var replicas: Int = 1
    @Option(help: "round_robin, least_outstanding, least_kv or prefix.") var router: RouterPolicy = .roundRobin
    @Option(help: "vllm, orca or static.") var scheduler: SchedulerKind = .vllm
    @Option(help: "Latency table file (default perf_model/<GPU>.csv).") var table: String?
    @Option(help: "Measured latencies: a bundle or Vidur folder, one of our CSVs, or \"measured\" (profiles/measured/ for --hardware, --model, --tp).") var profile: String?
    @Option(help: "Trace file: .tsv (LLMServingSim), .csv (Vidur) or .jsonl.") var trace: String?
    @Option(help: "Trace format when the file name does not tell.") var traceFormat: TraceFormat?
    @OptionGroup var synthetic: SyntheticOptions
    @Option(parsing: .unconditional, help: "vLLM max_num_batched_tokens.") var maxNumBatchedTokens: Int = 8192
    @Option(parsing: .unconditional, help: "vLLM max_num_seqs.") var maxNumSeqs: Int = 256
    @Option(parsing: .unconditional, help: "KV-cache block size, tokens.") var blockSize: Int = 16
    @Option(parsing: .unconditional, help: "Fraction of GPU memory for weights, activations and KV cache.") var gpuMemoryUtilization: Double = 0.9
    @Option(parsing: .unconditional, help: "Memory per GPU reserved for activations and runtime, GiB.") var activationReserveGib: Double = 2
    @Option(help: "Framework time apart from the kernels: vllm-0.19, vllm-0.6 or none.") var engine: String = EngineProfile.vllm019.name
    @Option(parsing: .unconditional, help: "Host time per step, ms, replacing the engine profile's.") var cpuOverheadMs: Double?
    @Flag(inversion: .prefixedNo, help: "Prefix caching (vLLM v1's default: on).") var enablePrefixCaching = true
    @Flag(inversion: .prefixedNo, help: "Admit a request only when its whole prompt fits in the free KV blocks (vLLM 0.19's default: on).") var schedulerReserveFullIsl = true
    @Option(parsing: .unconditional, help: "Most prefill tokens of one request per step, 0 for no limit (vLLM's long_prefill_token_threshold).") var longPrefillTokenThreshold: Int = 0
    @Option(parsing: .unconditional, help: "Longest prompt + output accepted (default: the model's context).") var maxModelLen: Int?
    @Option(parsing: .unconditional, help: "KV blocks per replica, replacing the computed capacity (vLLM's num_gpu_blocks_override).") var numGpuBlocks: Int?
    @Option(parsing: .unconditional, help: "TTFT target for goodput, ms.") var sloTtftMs: Double = 1000
    @Option(parsing: .unconditional, help: "TPOT target for goodput, ms.") var sloTpotMs: Double = 100
    @Option(help: "Folder for requests.csv and summary.json.") var out: String?
    @Flag(help: "Print the summary as JSON instead of a table.") var json = false
    @Flag(help: "No progress bar, even on a terminal.") var noProgress = false

    func run() throws {
        do throws(SimEngineError) {
            try simulate()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func simulate() throws(SimEngineError) {
        var engineProfile = try EngineProfile.named(engine)
        if let cpuOverheadMs {
            guard cpuOverheadMs >= 0, cpuOverheadMs <= 10_000 else {
                throw SimEngineError("must be between 0 and 10000 ms, found \(cpuOverheadMs)", location: "cpu-overhead-ms")
            }
            engineProfile = engineProfile.withStepHost(ns: Int64((cpuOverheadMs * 1e6).rounded()))
        }
        let config = SchedulerConfig(
            kind: scheduler, maxNumBatchedTokens: maxNumBatchedTokens, maxNumSeqs: maxNumSeqs, blockSize: blockSize,
            gpuMemoryUtilization: gpuMemoryUtilization, activationReserveBytes: activationReserveGib * 1_073_741_824,
            engine: engineProfile, maxModelLen: maxModelLen, numGpuBlocksOverride: numGpuBlocks,
            enablePrefixCaching: enablePrefixCaching, longPrefillTokenThreshold: longPrefillTokenThreshold,
            reserveFullSequence: schedulerReserveFullIsl)
        let data: DataDirectory
        do { data = try DataDirectory.locate(explicit: dataDir) } catch { throw SimEngineError(error) }
        let loader = try EngineLoader(data: data)
        let (model, hardware, note) = loader.identity(model: model, hardware: hardware, profile: profile)
        if let note { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        var engine = try loader.engine(
            model: model, hardware: hardware, tp: tp, replicas: replicas, config: config, router: router, tableFile: table, profile: profile)
        if profile != nil { FileHandle.standardError.write(Data("latencies: \(engine.latencySource.provenance)\n".utf8)) }
        for note in engine.latencySource.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        let slo = ServiceLevelObjective(ttftMs: sloTtftMs, tpotMs: sloTpotMs)
        try slo.validate()
        let outcome: SimulationRunner.Outcome
        if let trace {
            guard synthetic.given.isEmpty else {
                let verb = synthetic.given.count == 1 ? "describes" : "describe"
                throw SimEngineError("\(synthetic.given.joined(separator: ", ")) \(verb) a synthetic workload; a --trace brings its own requests", location: "trace")
            }
            let requests = try TraceReader.load(URL(fileURLWithPath: trace), format: traceFormat)
            outcome = try execute(&engine, workload: requests, count: requests.count, slo: slo)
        } else {
            let workload = try synthetic.workload()
            outcome = try execute(&engine, workload: workload, count: workload.count, slo: slo)
        }
        print(json ? String(decoding: outcome.summary.jsonData(), as: UTF8.self) : outcome.summary.textReport())
        for rejection in outcome.rejections.prefix(5) {
            FileHandle.standardError.write(Data("rejected request \(rejection.id): \(rejection.reason)\n".utf8))
        }
        if outcome.rejections.count > 5 {
            FileHandle.standardError.write(Data("… and \(outcome.rejections.count - 5) more rejected\n".utf8))
        }
        // With --json, stdout holds only the JSON.
        if let out {
            let folder = URL(fileURLWithPath: out).standardizedFileURL
            FileHandle.standardError.write(Data("wrote \(folder.appendingPathComponent("requests.csv").path) and summary.json\n".utf8))
        }
    }

    /// Streams the workload through the engine, each finished request to requests.csv; on failure nothing is left behind.
    private func execute<W: Sequence>(
        _ engine: inout ServingEngine, workload: W, count: Int, slo: ServiceLevelObjective
    ) throws(SimEngineError) -> SimulationRunner.Outcome where W.Element == RequestSpec {
        let outFolder = out.map { URL(fileURLWithPath: $0) }
        let writer = try outFolder.map { folder throws(SimEngineError) in try RequestCSVWriter(url: folder.appendingPathComponent("requests.csv"), model: engine.model.id) }
        let progress = ProgressBar(total: count, enabled: !noProgress && isatty(STDERR_FILENO) == 1)
        do {
            let outcome = try SimulationRunner.run(
                engine: &engine, workload: workload, slo: slo,
                onRecord: { record in try writer?.append(record) }, onProgress: progress.update)
            progress.finish()
            if let outFolder, let writer {
                try writer.commit()
                try write(outcome.summary.jsonData() + Data("\n".utf8), to: outFolder.appendingPathComponent("summary.json"))
                let rejected = outFolder.appendingPathComponent("rejected.csv")
                if outcome.rejections.isEmpty {
                    // A rejected.csv of an earlier run in this folder would contradict this run's summary.
                    try? FileManager.default.removeItem(at: rejected)
                } else {
                    let rows = outcome.rejections.map { "\($0.id),\"\($0.reason)\"" }.joined(separator: "\n")
                    try write(Data("request id,reason\n\(rows)\n".utf8), to: rejected)
                }
            }
            return outcome
        } catch let error as SimEngineError {
            writer?.abandon()
            throw error
        } catch {
            writer?.abandon()
            throw SimEngineError("\(error)")
        }
    }

    private func write(_ data: Data, to url: URL) throws(SimEngineError) {
        do { try AtomicFile.write(data, to: url) } catch { throw SimEngineError(error) }
    }
}
