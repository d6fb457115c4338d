import ArgumentParser
import Foundation
import PerfKit
import SimEngine

struct Search: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find each configuration's highest request rate whose latency targets hold, rank them, price them.",
        discussion: """
            Lists are comma-separated (1,2,4) or ranges (1..8). Each configuration is bisected over a 2 % geometric \
            rate grid for every seed; the capacity is the median. With --shard I/N (or JOB_COMPLETION_INDEX/COUNT, \
            SLURM_ARRAY_TASK_ID/COUNT) only slice I runs and --out DIR gets its results; `search merge DIR...` reports on all.
            """,
        subcommands: [SearchMerge.self])

    @Option(help: "Folder holding model_configs/, perf_model/ and hardware/.") var dataDir: String?
    @Option(help: "Model ids, comma-separated.") var model: String = "meta-llama/Llama-3.1-8B-Instruct"
    @Option(help: "GPU names, comma-separated.") var hardware: String = "A100"
    @Option(help: "Tensor-parallel degrees.") var tp: String = "1"
    @Option(help: "Replica counts (default 1).") var replicas: String?
    @Option(help: "Total GPUs per deployment, instead of --replicas: replicas = GPUs ÷ tp.") var gpus: String?
    @Option(help: "Schedulers: vllm, orca, static.") var scheduler: String = "vllm"
    @Option(help: "vLLM max_num_seqs values.") var maxNumSeqs: String = "256"
    @Option(help: "vLLM max_num_batched_tokens values.") var maxNumBatchedTokens: String = "8192"
    @Option(help: "round_robin, least_outstanding or least_kv.") var router: RouterPolicy = .roundRobin
    @Option(parsing: .unconditional, help: "Fraction of GPU memory for weights, activations and KV cache.") var gpuMemoryUtilization: Double = 0.9
    @Option(help: "Framework time apart from the kernels: vllm-0.19, vllm-0.6 or none.") var engine: String = EngineProfile.vllm019.name
    @Option(parsing: .unconditional, help: "Host time per step, ms, replacing the engine profile's.") var cpuOverheadMs: Double?
    @Option(help: "Trace file (.tsv, .csv, .jsonl); its arrivals are rescaled to each probed rate.") var trace: String?
    @Option(help: "Trace format when the file name does not tell.") var traceFormat: TraceFormat?
    @OptionGroup var synthetic: SyntheticOptions
    @Option(parsing: .unconditional, help: "Shortest span of arrivals per probe, s (more requests, or the trace repeated, at high rates).") var minSpanS: Double = 30
    @Option(parsing: .unconditional, help: "Seeds per configuration (seed, seed+1, …); the capacity is their median.") var seeds: Int = 3
    @Option(parsing: .unconditional, help: "TTFT target at the percentile, ms.") var sloTtftMs: Double?
    @Option(parsing: .unconditional, help: "TPOT target at the percentile, ms.") var sloTpotMs: Double?
    @Option(parsing: .unconditional, help: "End-to-end latency target at the percentile, ms.") var sloE2eMs: Double?
    @Option(help: "Percentile the targets apply to: p50, p90, p99, 99.9.") var percentile: String = "p90"
    @Option(parsing: .unconditional, help: "Relative step of the rate grid, %.") var rateResolution: Double = 2
    @Option(parsing: .unconditional, help: "Highest rate probed, requests/s.") var maxRate: Double = 100_000
    @Option(help: "Run slice I of N of the grid (0-based); needs --out.") var shard: String?
    @Option(parsing: .unconditional, help: "Configurations searched at once (default: every core).") var jobs: Int?
    @OptionGroup var report: SearchReportOptions

    func run() async throws {
        do throws(SimEngineError) {
            try await search()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func search() async throws(SimEngineError) {
        let data: DataDirectory
        do { data = try DataDirectory.locate(explicit: dataDir) } catch { throw SimEngineError(error) }
        let loader = try EngineLoader(data: data)
        let search = try capacitySearch(loader: loader)
        var slice = try SearchShard.fromEnvironment()
        if let shard { slice = try SearchShard(parsing: shard) }
        if let jobs, jobs < 1 { throw SimEngineError("must be at least 1, found \(jobs)", location: "jobs") }
        if slice != nil, report.out == nil { throw SimEngineError("a shard writes its results to a folder: give --out DIR", location: "shard") }
        let total = search.grid.configurationCount
        let indices = slice?.indices(configurationCount: total)
        let cores = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let started = Date()
        let results = await search.run(loader: loader, indices: indices, concurrency: cores)
        let elapsed = String(format: "%.1f", Date().timeIntervalSince(started))
        if let slice, let out = report.out {
            let file = try SearchOutput.write(SearchShardFile(spec: search.spec, shard: slice, results: results), to: URL(fileURLWithPath: out))
            print("shard \(slice.index)/\(slice.count): \(results.count) of \(total) configurations in \(elapsed) s; wrote \(file.path)")
            return
        }
        try report.emit(try report.report(spec: search.spec, results: results, data: data))
        FileHandle.standardError.write(Data("searched \(total) configurations in \(elapsed) s (\(cores) at once)\n".utf8))
    }

    private func capacitySearch(loader: EngineLoader) throws(SimEngineError) -> CapacitySearch {
        guard synthetic.rate == nil else { throw SimEngineError("the search chooses the rates; use --max-rate to bound them", location: "rate") }
        if trace != nil, !synthetic.given.isEmpty {
            throw SimEngineError("\(synthetic.given.joined(separator: ", ")) describe a synthetic workload; a --trace brings its own requests", location: "trace")
        }
        if replicas != nil, gpus != nil { throw SimEngineError("give --replicas or --gpus (replicas = GPUs ÷ tp), not both", location: "gpus") }
        var options = SearchOptions()
        (options.models, options.hardware, options.tp, options.replicas, options.gpus) = (model, hardware, tp, replicas ?? "1", gpus)
        (options.schedulers, options.maxNumSeqs, options.maxNumBatchedTokens, options.router) = (scheduler, maxNumSeqs, maxNumBatchedTokens, router)
        (options.gpuMemoryUtilization, options.engine, options.cpuOverheadMs, options.trace, options.traceFormat) = (gpuMemoryUtilization, engine, cpuOverheadMs, trace, traceFormat)
        options.requests = synthetic.requests ?? options.requests
        options.inputLength = synthetic.inputLen ?? options.inputLength
        options.outputLength = synthetic.outputLen ?? options.outputLength
        options.burstiness = synthetic.burstiness ?? options.burstiness
        options.seed = synthetic.seed ?? options.seed
        (options.seeds, options.sloTTFTMs, options.sloTPOTMs, options.sloE2EMs) = (seeds, sloTtftMs, sloTpotMs, sloE2eMs)
        options.minSpanSeconds = minSpanS
        (options.percentile, options.rateResolutionPercent, options.maxRate) = (percentile, rateResolution, maxRate)
        return try options.search(loader: loader)
    }
}
