import Foundation
public import PerfKit

/// Paged KV-cache accounting of one replica: a pool of fixed-size blocks.
public struct KVCache: Sendable, Hashable {
    /// Tokens per block.
    public let blockSize: Int
    public let totalBlocks: Int
    public internal(set) var usedBlocks = 0

    public init(totalBlocks: Int, blockSize: Int) {
        self.totalBlocks = totalBlocks
        self.blockSize = blockSize
    }

    public var freeBlocks: Int { totalBlocks - usedBlocks }
    /// Used fraction, 0...1.
    public var utilization: Double { totalBlocks > 0 ? Double(usedBlocks) / Double(totalBlocks) : 0 }

    /// Blocks that hold `tokens` tokens.
    public func blocks(forTokens tokens: Int) -> Int { (tokens + blockSize - 1) / blockSize }

    /// Takes `count` blocks; false (and nothing taken) when fewer are free.
    public mutating func allocate(_ count: Int) -> Bool {
        guard count <= freeBlocks else { return false }
        usedBlocks += count
        return true
    }

    /// Returns `count` blocks to the pool.
    public mutating func release(_ count: Int) {
        precondition(count <= usedBlocks, "KV cache released more blocks than it lent")
        usedBlocks -= count
    }
}

/// How many KV blocks a replica has: GPU memory × utilization × tp − weights − activation reserve.
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
        guard totalBlocks > 0 else {
            func gb(_ bytes: Double) -> String { String(format: "%.1f GiB", bytes / gib) }
            throw SimEngineError(
                "\(model.id) does not fit: weights \(gb(weightBytes)) + reserve \(gb(config.activationReserveBytes * Double(tp))) exceed \(gb(memory)) (\(tp) GPU(s) × \(memoryGB) GiB × utilization \(config.gpuMemoryUtilization)); raise the tensor-parallel degree or lower the activation reserve",
                location: "kv_cache")
        }
    }
}
