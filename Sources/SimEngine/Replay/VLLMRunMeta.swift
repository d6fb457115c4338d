public import Foundation

/// A setting of the replay, its value and where it came from (a meta.json key, a default, a flag).
public struct ReplaySetting: Sendable, Hashable, Codable {
    public var name: String
    public var value: String
    public var source: String
}

/// The engine arguments of a real vLLM run, from LLMServingSim's `meta.json` (`engine_kwargs`, `kv_cache` and
/// `resolved_config`), each with the key it came from; absent keys fall back to vLLM 0.19's defaults, said so.
public struct VLLMRunMeta: Sendable {
    public var model: String
    public var vllmVersion: String?
    /// The trace, relative to the run's repository root (`workloads/…jsonl`).
    public var datasetPath: String?
    public var deviceName: String?
    public var tickSeconds: Double
    public var tp: (Int, String)
    public var maxNumSeqs: (Int, String)
    public var maxNumBatchedTokens: (Int, String)
    public var maxModelLen: (Int?, String)
    public var blockSize: (Int, String)
    public var numGpuBlocks: (Int?, String)
    public var gpuMemoryUtilization: (Double, String)
    public var enablePrefixCaching: (Bool, String)
    public var longPrefillTokenThreshold: (Int, String)
    public var maxNumPartialPrefills: (Int, String)
    public var reserveFullIsl: (Bool, String)
    public var asyncScheduling: (Bool, String)
    public var enableChunkedPrefill: (Bool, String)

    public init(url: URL) throws(SimEngineError) {
        let root = try JSONObject(data: try MeasuredRunFiles.readData(url), file: url.path)
        guard let model = try root.string("model") else { throw SimEngineError("needs \"model\"", location: url.path) }
        self.model = model
        vllmVersion = try root.string("vllm_version")
        datasetPath = try root.string("dataset_path")
        tickSeconds = try root.double("tick_seconds") ?? 1
        let kwargs = try root.object("engine_kwargs")
        let kv = try root.object("kv_cache")
        let resolved = try root.object("resolved_config")
        let schedulerConfig = try resolved?.object("scheduler_config")
        let cacheConfig = try resolved?.object("cache_config")
        deviceName = try root.object("hardware")?.string("device_name")
        let defaultSource = "vLLM 0.19 default"

        func int(_ key: String, in places: [(JSONObject?, String)], default value: Int) throws(SimEngineError) -> (Int, String) {
            for (object, name) in places { if let found = try object?.int(key) { return (found, "meta.json \(name).\(key)") } }
            return (value, defaultSource)
        }
        func bool(_ key: String, in places: [(JSONObject?, String)], default value: Bool) throws(SimEngineError) -> (Bool, String) {
            for (object, name) in places { if let found = try object?.bool(key) { return (found, "meta.json \(name).\(key)") } }
            return (value, defaultSource)
        }
        let scheduler = [(kwargs, "engine_kwargs"), (schedulerConfig, "resolved_config.scheduler_config")]
        let cache = [(kwargs, "engine_kwargs"), (kv, "kv_cache"), (cacheConfig, "resolved_config.cache_config")]
        tp = try int("tensor_parallel_size", in: [(kwargs, "engine_kwargs")], default: 1)
        maxNumSeqs = try int("max_num_seqs", in: scheduler, default: 256)
        maxNumBatchedTokens = try int("max_num_batched_tokens", in: scheduler, default: 2048)
        let length = try int("max_model_len", in: [(kwargs, "engine_kwargs"), (try resolved?.object("model_config"), "resolved_config.model_config")], default: -1)
        maxModelLen = length.0 > 0 ? (length.0, length.1) : (nil, "the model's context (vLLM's default)")
        blockSize = try int("block_size", in: cache, default: 16)
        let blocks = try int("num_gpu_blocks", in: [(kv, "kv_cache"), (cacheConfig, "resolved_config.cache_config")], default: -1)
        numGpuBlocks = blocks.0 > 0 ? (blocks.0, blocks.1) : (nil, "not recorded: computed from memory")
        let utilization = try (kv?.double("gpu_memory_utilization")).map { ($0, "meta.json kv_cache.gpu_memory_utilization") }
        gpuMemoryUtilization = utilization ?? (0.9, defaultSource)
        enablePrefixCaching = try bool("enable_prefix_caching", in: cache, default: true)
        longPrefillTokenThreshold = try int("long_prefill_token_threshold", in: scheduler, default: 0)
        maxNumPartialPrefills = try int("max_num_partial_prefills", in: scheduler, default: 1)
        reserveFullIsl = try bool("scheduler_reserve_full_isl", in: scheduler, default: true)
        asyncScheduling = try bool("async_scheduling", in: scheduler, default: true)
        enableChunkedPrefill = try bool("enable_chunked_prefill", in: scheduler, default: true)
        guard enableChunkedPrefill.0 else {
            throw SimEngineError("the run had chunked prefill off; the replay models vLLM v1 with chunked prefill only", location: url.path)
        }
    }
}
