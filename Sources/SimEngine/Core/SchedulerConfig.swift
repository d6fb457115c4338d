/// Which batching policy a replica uses.
public enum SchedulerKind: String, Sendable, CaseIterable, Codable {
    /// vLLM v1: running requests first (decodes and unfinished prefill chunks), then new prefills in chunks
    /// into the token budget; preempts the newest running request by recompute when KV blocks run out.
    case vllm
    /// Orca: iteration-level batching with whole prefills (no chunking, no token budget).
    case orca
    /// Static batching: a batch is formed when the replica is idle and runs until all its requests finish.
    case `static`
}

/// Scheduler and memory parameters of a replica, with vLLM's names and defaults.
public struct SchedulerConfig: Sendable, Hashable, Codable {
    public var kind: SchedulerKind
    /// Token budget of one iteration (`max_num_batched_tokens`).
    public var maxNumBatchedTokens: Int
    /// Most sequences in one iteration (`max_num_seqs`).
    public var maxNumSeqs: Int
    /// Tokens per KV-cache block (`block_size`).
    public var blockSize: Int
    /// Fraction of GPU memory the engine may use (`gpu_memory_utilization`).
    public var gpuMemoryUtilization: Double
    /// Memory per GPU kept for activations, CUDA graphs and the runtime, bytes.
    public var activationReserveBytes: Double
    /// The framework's time per step apart from the kernels (host work, sampler, overlap).
    public var engine: EngineProfile
    /// Longest sequence (prompt + output) accepted (`max_model_len`); nil means the model's context.
    public var maxModelLen: Int?
    /// KV blocks per replica instead of the computed capacity (`num_gpu_blocks_override`).
    public var numGpuBlocksOverride: Int?
    /// Reuse of cached KV blocks across requests (`enable_prefix_caching`, on by default in vLLM v1).
    public var enablePrefixCaching: Bool
    /// Most tokens of one request's prefill chunk per step, 0 for no limit (`long_prefill_token_threshold`).
    public var longPrefillTokenThreshold: Int
    /// Admit a waiting request only when its whole sequence fits in the free blocks, not just its first chunk
    /// (`scheduler_reserve_full_isl`, on by default in vLLM 0.19).
    public var reserveFullSequence: Bool

    public init(
        kind: SchedulerKind = .vllm, maxNumBatchedTokens: Int = 8192, maxNumSeqs: Int = 256, blockSize: Int = 16,
        gpuMemoryUtilization: Double = 0.9, activationReserveBytes: Double = 2 * 1_073_741_824,
        engine: EngineProfile = .vllm019, maxModelLen: Int? = nil, numGpuBlocksOverride: Int? = nil,
        enablePrefixCaching: Bool = true, longPrefillTokenThreshold: Int = 0, reserveFullSequence: Bool = true
    ) {
        self.kind = kind
        self.maxNumBatchedTokens = maxNumBatchedTokens
        self.maxNumSeqs = maxNumSeqs
        self.blockSize = blockSize
        self.gpuMemoryUtilization = gpuMemoryUtilization
        self.activationReserveBytes = activationReserveBytes
        self.engine = engine
        self.maxModelLen = maxModelLen
        self.numGpuBlocksOverride = numGpuBlocksOverride
        self.enablePrefixCaching = enablePrefixCaching
        self.longPrefillTokenThreshold = longPrefillTokenThreshold
        self.reserveFullSequence = reserveFullSequence
    }

    /// Checks ranges; the error names the parameter.
    public func validate() throws(SimEngineError) {
        for (name, value) in [("max_num_batched_tokens", maxNumBatchedTokens), ("max_num_seqs", maxNumSeqs), ("block_size", blockSize)] where value < 1 {
            throw SimEngineError("must be at least 1, found \(value)", location: name)
        }
        guard gpuMemoryUtilization > 0, gpuMemoryUtilization <= 1 else {
            throw SimEngineError("must be in (0, 1], found \(gpuMemoryUtilization)", location: "gpu_memory_utilization")
        }
        guard activationReserveBytes >= 0, longPrefillTokenThreshold >= 0 else {
            throw SimEngineError("activation reserve and long_prefill_token_threshold must not be negative", location: "scheduler")
        }
        let times = [engine.stepHostNs, engine.sequenceHostNs]
        guard times.allSatisfy({ $0 >= 0 && $0 <= 10_000_000_000 }) else {
            throw SimEngineError("host times must be between 0 and 10 s", location: "engine")
        }
        if let numGpuBlocksOverride, numGpuBlocksOverride < 1 {
            throw SimEngineError("must be at least 1, found \(numGpuBlocksOverride)", location: "num_gpu_blocks")
        }
        if let maxModelLen, maxModelLen < 2 {
            throw SimEngineError("must be at least 2, found \(maxModelLen)", location: "max_model_len")
        }
    }
}
