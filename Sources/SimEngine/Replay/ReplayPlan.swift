public import Foundation
import PerfKit

/// Where a replay's parts are and what to override; nil fields are read from the run folder.
public struct ReplayInputs: Sendable {
    /// The run folder (`<GPU>/<model>/` holding `vllm/meta.json`, `vllm/requests.jsonl`, `vllm/timeseries.csv`).
    public var runFolder: URL?
    public var meta: URL?
    public var trace: URL?
    /// `requests.jsonl` or `vllm bench serve --save-result` JSON.
    public var measured: URL?
    public var hardware: String?
    public var model: String?
    public var engine: String?
    public var tableFile: String?
    /// A measured profile instead of our table: a bundle or Vidur folder, one of our CSVs, or `measured`.
    public var profile: String?
    /// What-if overrides of the run's prefix caching, admission gate and host time per step (ms).
    public var enablePrefixCaching: Bool?
    public var reserveFullIsl: Bool?
    public var cpuOverheadMs: Double?

    public init(runFolder: URL? = nil, meta: URL? = nil, trace: URL? = nil, measured: URL? = nil, hardware: String? = nil,
                model: String? = nil, engine: String? = nil, tableFile: String? = nil, profile: String? = nil,
                enablePrefixCaching: Bool? = nil, reserveFullIsl: Bool? = nil, cpuOverheadMs: Double? = nil) {
        self.runFolder = runFolder
        self.meta = meta
        self.trace = trace
        self.measured = measured
        self.hardware = hardware
        self.model = model
        self.engine = engine
        self.tableFile = tableFile
        self.profile = profile
        self.enablePrefixCaching = enablePrefixCaching
        self.reserveFullIsl = reserveFullIsl
        self.cpuOverheadMs = cpuOverheadMs
    }
}

/// Everything a replay runs with: the engine, the trace, what vLLM measured, and each setting's source.
public struct ReplayPlan: Sendable {
    public var engine: ServingEngine
    public var trace: [RequestSpec]
    public var measured: [MeasuredRequest]
    public var measuredSource: String
    public var timeseries: [QueueSample]
    public var tickSeconds: Double
    public var settings: [ReplaySetting]
    public var vllmVersion: String?

    /// Resolves the inputs against the run folder and the data directory; errors name the missing part.
    public init(inputs: ReplayInputs, loader: EngineLoader) throws(SimEngineError) {
        let vllm = inputs.runFolder?.appendingPathComponent("vllm")
        guard let metaURL = inputs.meta ?? vllm?.appendingPathComponent("meta.json") else {
            throw SimEngineError("give a run folder or --meta", location: "replay")
        }
        let meta = try VLLMRunMeta(url: metaURL)
        vllmVersion = meta.vllmVersion
        tickSeconds = meta.tickSeconds
        var settings: [ReplaySetting] = []
        func note(_ name: String, _ value: Any?, _ source: String) { settings.append(ReplaySetting(name: name, value: value.map { "\($0)" } ?? "-", source: source)) }

        let modelID: String
        if let model = inputs.model { modelID = model } else { modelID = try Self.catalogModel(meta.model, loader: loader) }
        note("model", modelID, inputs.model != nil ? "--model" : "meta.json model (\(meta.model))")
        let hardware: String
        if let given = inputs.hardware { hardware = given } else { hardware = try Self.gpuName(device: meta.deviceName, folder: inputs.runFolder, loader: loader) }
        note("hardware", hardware, inputs.hardware != nil ? "--hardware" : meta.deviceName.map { "meta.json hardware.device_name (\($0))" } ?? "the run folder's GPU name")

        var profile = try EngineProfile.named(inputs.engine ?? Self.engineName(version: meta.vllmVersion))
        if !meta.asyncScheduling.0 { profile.overlapsHost = false }
        note("engine", profile.name, inputs.engine != nil ? "--engine" : "meta.json vllm_version (\(meta.vllmVersion ?? "absent"))")
        if let milliseconds = inputs.cpuOverheadMs {
            guard milliseconds >= 0, milliseconds <= 10_000 else {
                throw SimEngineError("must be between 0 and 10000 ms, found \(milliseconds)", location: "cpu-overhead-ms")
            }
            profile = profile.withStepHost(ns: Int64((milliseconds * 1e6).rounded()))
            note("host time per step (ms)", milliseconds, "--cpu-overhead-ms")
        }
        let prefixCaching = inputs.enablePrefixCaching.map { ($0, "--\($0 ? "" : "no-")enable-prefix-caching") } ?? meta.enablePrefixCaching
        let reserveFullIsl = inputs.reserveFullIsl.map { ($0, "--\($0 ? "" : "no-")scheduler-reserve-full-isl") } ?? meta.reserveFullIsl
        note("async_scheduling", meta.asyncScheduling.0, meta.asyncScheduling.1)
        let config = SchedulerConfig(
            kind: .vllm, maxNumBatchedTokens: meta.maxNumBatchedTokens.0, maxNumSeqs: meta.maxNumSeqs.0, blockSize: meta.blockSize.0,
            gpuMemoryUtilization: meta.gpuMemoryUtilization.0, engine: profile, maxModelLen: meta.maxModelLen.0,
            numGpuBlocksOverride: meta.numGpuBlocks.0, enablePrefixCaching: prefixCaching.0,
            longPrefillTokenThreshold: meta.longPrefillTokenThreshold.0, reserveFullSequence: reserveFullIsl.0)
        note("tensor_parallel_size", meta.tp.0, meta.tp.1)
        note("max_num_seqs", meta.maxNumSeqs.0, meta.maxNumSeqs.1)
        note("max_num_batched_tokens", meta.maxNumBatchedTokens.0, meta.maxNumBatchedTokens.1)
        note("max_model_len", meta.maxModelLen.0, meta.maxModelLen.1)
        note("block_size", meta.blockSize.0, meta.blockSize.1)
        note("gpu_memory_utilization", meta.gpuMemoryUtilization.0, meta.gpuMemoryUtilization.1)
        note("enable_prefix_caching", prefixCaching.0, prefixCaching.1)
        note("long_prefill_token_threshold", meta.longPrefillTokenThreshold.0, meta.longPrefillTokenThreshold.1)
        note("max_num_partial_prefills", meta.maxNumPartialPrefills.0, meta.maxNumPartialPrefills.1 + "; not read by vLLM v1's scheduler")
        note("scheduler_reserve_full_isl", reserveFullIsl.0, reserveFullIsl.1)
        engine = try loader.engine(model: modelID, hardware: hardware, tp: meta.tp.0, config: config, tableFile: inputs.tableFile, profile: inputs.profile)
        note("latencies", engine.latencySource.provenance, inputs.profile != nil ? "--profile" : "our table")
        note("num_gpu_blocks", engine.kvCapacity.totalBlocks, meta.numGpuBlocks.0 != nil ? meta.numGpuBlocks.1 : "computed (meta.json records none)")

        guard let traceURL = inputs.trace ?? Self.traceURL(meta.datasetPath, runFolder: inputs.runFolder, metaURL: metaURL) else {
            throw SimEngineError("meta.json names no dataset_path; give --trace", location: metaURL.path)
        }
        trace = try TraceReader.load(traceURL)
        note("trace", traceURL.path, inputs.trace != nil ? "--trace" : "meta.json dataset_path")

        guard let measuredURL = inputs.measured ?? vllm?.appendingPathComponent("requests.jsonl") else {
            throw SimEngineError("give a run folder or --measured (requests.jsonl or vllm bench serve --save-result JSON)", location: "replay")
        }
        measured = measuredURL.pathExtension == "json"
            ? try MeasuredRunFiles.loadBenchServeResult(measuredURL)
            : try MeasuredRunFiles.loadRequestsJSONL(measuredURL)
        measuredSource = measuredURL.path
        let series = vllm?.appendingPathComponent("timeseries.csv")
        timeseries = try series.flatMap { url throws(SimEngineError) in
            FileManager.default.fileExists(atPath: url.path) ? try MeasuredRunFiles.loadTimeseries(url) : nil
        } ?? []
        self.settings = settings
        try checkPairs(traceURL: traceURL, measuredURL: measuredURL)
    }

    /// Every measured request must be a trace request of the same lengths, or the comparison means nothing.
    private func checkPairs(traceURL: URL, measuredURL: URL) throws(SimEngineError) {
        let byID = Dictionary(uniqueKeysWithValues: trace.map { ($0.id, $0) })
        for request in measured {
            guard let spec = byID[request.index] else {
                throw SimEngineError("request \(request.index) is not in the trace \(traceURL.path) (\(trace.count) requests)", location: measuredURL.path)
            }
            guard spec.inputTokens == request.inputTokens, spec.outputTokens == request.outputTokens else {
                throw SimEngineError("request \(request.index) has \(request.inputTokens) → \(request.outputTokens) tokens but the trace says \(spec.inputTokens) → \(spec.outputTokens); is it the run's trace?", location: measuredURL.path)
            }
        }
    }

    /// The catalog's id for a run's model: exact, else the one id equal to it ignoring case (`Qwen/` vs `qwen/`).
    static func catalogModel(_ name: String, loader: EngineLoader) throws(SimEngineError) -> String {
        let ids = loader.models.models.map(\.id)
        if ids.contains(name) { return name }
        let matches = ids.filter { $0.caseInsensitiveCompare(name) == .orderedSame }
        guard matches.count == 1 else {
            throw SimEngineError("the run's model \(name) is not in model_configs/ (known: \(ids.joined(separator: ", "))); add its config.json or give --model", location: "model")
        }
        return matches[0]
    }

    /// The GPU of the run: the catalog name found in the device name (`NVIDIA GeForce RTX 4090` → RTX4090),
    /// else the run folder's parent name (`RTXPRO6000/Llama-3.1-8B`).
    static func gpuName(device: String?, folder: URL?, loader: EngineLoader) throws(SimEngineError) -> String {
        func squeeze(_ text: String) -> String { text.uppercased().filter { $0.isLetter || $0.isNumber } }
        let names = loader.gpus.gpus.map(\.name)
        if let device {
            let squeezed = squeeze(device)
            if let name = names.filter({ squeezed.contains(squeeze($0)) }).max(by: { $0.count < $1.count }) { return name }
        }
        if let folder {
            let candidate = folder.standardizedFileURL.deletingLastPathComponent().lastPathComponent
            if let name = names.first(where: { squeeze($0) == squeeze(candidate) }) { return name }
            throw SimEngineError("the run's GPU \(device ?? candidate) is not in hardware/gpus.json (known: \(names.joined(separator: ", "))); add it or give --hardware", location: "hardware")
        }
        throw SimEngineError("the run's GPU \(device ?? "(not recorded)") is not in hardware/gpus.json (known: \(names.joined(separator: ", "))); add it or give --hardware", location: "hardware")
    }

    /// vLLM 0.9 and later schedule asynchronously (V1 engine); earlier versions get the V0 profile.
    static func engineName(version: String?) -> String {
        guard let version else { return EngineProfile.vllm019.name }
        let parts = version.split(separator: ".").compactMap { Int($0.prefix { $0.isNumber }) }
        guard parts.count >= 2 else { return EngineProfile.vllm019.name }
        return parts[0] == 0 && parts[1] < 9 ? EngineProfile.vllm06.name : EngineProfile.vllm019.name
    }

    /// `dataset_path` is relative to the runs' repository root: try beside the run folders (`<root>/<GPU>/<model>/`),
    /// then relative to meta.json and the working directory.
    static func traceURL(_ path: String?, runFolder: URL?, metaURL: URL) -> URL? {
        guard let path else { return nil }
        var bases: [URL] = []
        if let runFolder { bases.append(runFolder.standardizedFileURL.deletingLastPathComponent().deletingLastPathComponent()) }
        bases.append(metaURL.deletingLastPathComponent())
        bases.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        let candidates = bases.map { $0.appendingPathComponent(path) }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates[0]
    }
}
