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
    /// Host-side time of one iteration (scheduling, sampling, launch), ns.
    public var cpuOverheadNs: Int64
    /// Longest sequence (prompt + output) accepted (`max_model_len`); nil means the model's context.
    public var maxModelLen: Int?

    public init(
        kind: SchedulerKind = .vllm, maxNumBatchedTokens: Int = 8192, maxNumSeqs: Int = 256, blockSize: Int = 16,
        gpuMemoryUtilization: Double = 0.9, activationReserveBytes: Double = 2 * 1_073_741_824,
        cpuOverheadNs: Int64 = 200_000, maxModelLen: Int? = nil
    ) {
        self.kind = kind
        self.maxNumBatchedTokens = maxNumBatchedTokens
        self.maxNumSeqs = maxNumSeqs
        self.blockSize = blockSize
        self.gpuMemoryUtilization = gpuMemoryUtilization
        self.activationReserveBytes = activationReserveBytes
        self.cpuOverheadNs = cpuOverheadNs
        self.maxModelLen = maxModelLen
    }

    /// Checks ranges; the error names the parameter.
    public func validate() throws(SimEngineError) {
        for (name, value) in [("max_num_batched_tokens", maxNumBatchedTokens), ("max_num_seqs", maxNumSeqs), ("block_size", blockSize)] where value < 1 {
            throw SimEngineError("must be at least 1, found \(value)", location: name)
        }
        guard gpuMemoryUtilization > 0, gpuMemoryUtilization <= 1 else {
            throw SimEngineError("must be in (0, 1], found \(gpuMemoryUtilization)", location: "gpu_memory_utilization")
        }
        guard activationReserveBytes >= 0, cpuOverheadNs >= 0 else {
            throw SimEngineError("activation reserve and CPU overhead must not be negative", location: "scheduler")
        }
        if let maxModelLen, maxModelLen < 2 {
            throw SimEngineError("must be at least 2, found \(maxModelLen)", location: "max_model_len")
        }
    }
}
