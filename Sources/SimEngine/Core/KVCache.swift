import Foundation
public import PerfKit

/// Paged KV-cache accounting of one replica: a pool of fixed-size blocks, with an optional prefix cache
/// that keeps freed full blocks hit-able until they are reused.
public struct KVCache: Sendable, Hashable {
    /// Tokens per block.
    public let blockSize: Int
    public let totalBlocks: Int
    /// Blocks some request holds (cached blocks in the free queue are not counted).
    public internal(set) var usedBlocks = 0
    var prefix: PrefixCache?

    public init(totalBlocks: Int, blockSize: Int, prefixCaching: Bool = false) {
        self.totalBlocks = totalBlocks
        self.blockSize = blockSize
        prefix = prefixCaching ? PrefixCache(totalBlocks: totalBlocks) : nil
    }

    public var prefixCaching: Bool { prefix != nil }

    public var freeBlocks: Int { totalBlocks - usedBlocks }
    /// Used fraction, 0...1.
    public var utilization: Double { totalBlocks > 0 ? Double(usedBlocks) / Double(totalBlocks) : 0 }

    /// Blocks that hold `tokens` tokens.
    public func blocks(forTokens tokens: Int) -> Int { (tokens + blockSize - 1) / blockSize }

    /// Takes `count` blocks; false (and nothing taken) when fewer are free. With prefix caching they come from
    /// the head of the free queue, evicting the oldest cached blocks.
    public mutating func allocate(_ count: Int) -> Bool {
        guard count <= freeBlocks else { return false }
        usedBlocks += count
        if count > 0 { prefix?.takeFree(count) }
        return true
    }

    /// Cached leading blocks of `hashes` (at most `maxBlocks`) and how many of them are free.
    func lookup(_ hashes: [UInt64], maxBlocks: Int) -> (blocks: Int, free: Int) {
        prefix?.lookup(hashes, maxBlocks: maxBlocks) ?? (0, 0)
    }

    /// Takes a reference on the first `count` blocks of `hashes`, all cached.
    mutating func acquire(_ hashes: [UInt64], count: Int) {
        guard count > 0, prefix != nil else { return }
        usedBlocks += prefix!.touch(hashes, count: count)
    }

    /// Indexes a block that a request holding it has just filled.
    mutating func register(_ hash: UInt64) {
        usedBlocks += prefix?.register(hash) ?? 0
    }

    /// Frees a request's `blocks`: the first `cached` through the prefix cache, the rest private.
    mutating func release(_ hashes: [UInt64], cached: Int, blocks: Int) {
        guard prefix != nil else { return release(blocks) }
        let freed = prefix!.release(hashes, cached: cached, privateBlocks: blocks - cached)
        precondition(freed <= usedBlocks, "KV cache released more blocks than it lent")
        usedBlocks -= freed
    }

    /// Returns `count` blocks to the pool.
    public mutating func release(_ count: Int) {
        precondition(count <= usedBlocks, "KV cache released more blocks than it lent")
        usedBlocks -= count
    }
}

/// How many KV blocks a replica has: GPU memory × utilization × tp − weights − activation reserve, or
/// `num_gpu_blocks_override` when given (as vLLM, which then uses that count whatever the memory).
public struct KVCapacity: Sendable, Hashable {
    public var totalBlocks: Int
    /// KV bytes per token over all layers and all tp GPUs (GQA-aware; replicated KV heads counted).
    public var bytesPerToken: Int
    public var weightBytes: Double
    public var availableBytes: Double

    /// Datasheet memory sizes are binary (an "80 GB" H100 has 80 GiB), so GB here means GiB.
    public init(model: ModelConfig, memoryGB: Double, tp: Int, config: SchedulerConfig) throws(SimEngineError) {
        let perGPUKVHeads = max(1, model.numKeyValueHeads / tp)
        bytesPerToken = 2 * model.numHiddenLayers * perGPUKVHeads * model.headDim * model.bytesPerElement * tp
        weightBytes = Double(model.weightBytes)
        let gib = 1_073_741_824.0
        let memory = memoryGB * gib * Double(tp) * config.gpuMemoryUtilization
        availableBytes = memory - weightBytes - config.activationReserveBytes * Double(tp)
        totalBlocks = Int(availableBytes / Double(bytesPerToken * config.blockSize))
        if let override = config.numGpuBlocksOverride {
            totalBlocks = override
            return
        }
        guard totalBlocks > 0 else {
            func gb(_ bytes: Double) -> String { String(format: "%.1f GiB", bytes / gib) }
            throw SimEngineError(
                "\(model.id) does not fit: weights \(gb(weightBytes)) + reserve \(gb(config.activationReserveBytes * Double(tp))) exceed \(gb(memory)) (\(tp) GPU(s) × \(memoryGB) GiB × utilization \(config.gpuMemoryUtilization)); raise --tp, lower the reserve or give --num-gpu-blocks",
                location: "kv_cache")
        }
    }
}
