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
    /// Whether freed full blocks stay cached for later hits.
    public let prefixCaching: Bool
    /// Empty when `prefixCaching` is off (an optional would be copied out and back on every mutation).
    var prefix: PrefixCache

    public init(totalBlocks: Int, blockSize: Int, prefixCaching: Bool = false) {
        self.totalBlocks = totalBlocks
        self.blockSize = blockSize
        self.prefixCaching = prefixCaching
        prefix = PrefixCache(totalBlocks: prefixCaching ? totalBlocks : 0)
    }

    public var freeBlocks: Int { totalBlocks - usedBlocks }
    /// Used fraction, 0...1.
    public var utilization: Double { totalBlocks > 0 ? Double(usedBlocks) / Double(totalBlocks) : 0 }

    /// Blocks that hold `tokens` tokens.
    public func blocks(forTokens tokens: Int) -> Int { (tokens + blockSize - 1) / blockSize }

    /// Takes `count` blocks; false (and nothing taken) when fewer are free. Without prefix caching only.
    public mutating func allocate(_ count: Int) -> Bool {
        precondition(!prefixCaching, "a prefix-caching KV cache hands out block ids: use allocate(_:into:)")
        guard count <= freeBlocks else { return false }
        usedBlocks += count
        return true
    }

    /// Takes `count` blocks, appending their ids to `ids` when caching (from the head of the free queue, evicting
    /// the oldest cached blocks); false (and nothing taken) when fewer are free.
    mutating func allocate(_ count: Int, into ids: inout [Int32]) -> Bool {
        guard count <= freeBlocks else { return false }
        usedBlocks += count
        if count > 0, prefixCaching { prefix.takeFree(count, into: &ids) }
        return true
    }

    /// Cached leading blocks of `hashes` (at most `maxBlocks`) and how many of them are free.
    func lookup(_ hashes: [UInt64], maxBlocks: Int) -> (blocks: Int, free: Int) {
        prefixCaching ? prefix.lookup(hashes, maxBlocks: maxBlocks) : (0, 0)
    }

    /// Takes a reference on the blocks of the first `count` of `hashes`, all cached, appending their ids.
    mutating func acquire(_ hashes: [UInt64], count: Int, into ids: inout [Int32]) {
        guard count > 0, prefixCaching else { return }
        usedBlocks += prefix.touch(hashes, count: count, into: &ids)
    }

    /// Indexes block `ids[position]`, just filled, under `hash` (the id changes when another block has it).
    mutating func register(_ hash: UInt64, at position: Int, of ids: inout [Int32]) {
        guard prefixCaching else { return }
        let (block, change) = prefix.register(hash, block: ids[position])
        ids[position] = block
        usedBlocks += change
    }

    /// Frees a request's blocks: its `ids` through the prefix cache, or `blocks` of them without one.
    mutating func release(ids: [Int32], blocks: Int) {
        guard prefixCaching else { return release(blocks) }
        let freed = prefix.release(ids)
        precondition(freed <= usedBlocks, "KV cache released more blocks than it lent")
        usedBlocks -= freed
    }

    /// Blocks in the prefix cache's free queue (equal to `freeBlocks` when the accounting is right).
    var freeQueueLength: Int? { prefixCaching ? prefix.freeQueueLength : nil }

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
        func gb(_ bytes: Double) -> String { String(format: "%.1f GiB", bytes / gib) }
        let budget = "\(gb(memory)) (\(tp) GPU(s) × \(memoryGB) GiB × utilization \(config.gpuMemoryUtilization))"
        // Not even a block count makes room for weights that do not fit: vLLM would fail to load them.
        guard weightBytes < memory else {
            throw SimEngineError("\(model.id) does not fit: its weights alone, \(gb(weightBytes)), exceed \(budget); raise the tensor-parallel degree",
                                 location: "kv_cache")
        }
        if let override = config.numGpuBlocksOverride {
            totalBlocks = override
            return
        }
        guard totalBlocks > 0 else {
            throw SimEngineError(
                "\(model.id) does not fit: weights \(gb(weightBytes)) + reserve \(gb(config.activationReserveBytes * Double(tp))) exceed \(budget); raise the tensor-parallel degree, lower the activation reserve or set the KV block count",
                location: "kv_cache")
        }
    }
}
