/// What the decode sequences of a batch that also holds a prefill chunk cost in one attention layer. vLLM 0.19 runs
/// such a batch through FlashAttention's varlen kernel without split-KV or GQA packing: every query head of a decode
/// walks its sequence's K and V in a tile of its own. Tiles run in waves, sequences fastest: the query heads of a KV
/// group that share a wave read its K/V from DRAM once and from L2 after; a group split across waves reads it from
/// DRAM again unless one KV head's bytes over all the decodes still sit in L2.
public struct MixedBatchAttention: Sendable, Hashable {
    /// Query heads per KV head of the shard.
    public let groupSize: Double
    /// KV heads of the shard.
    public let kvHeads: Double
    /// Bytes of one KV head's K and V per cached token.
    public let bytesPerTokenPerKVHead: Double
    /// Bytes per ns of a K/V stream from DRAM.
    public let dramBytesPerNs: Double
    /// Bytes per ns of a K/V re-read from L2.
    public let l2BytesPerNs: Double
    /// The GPU's L2 capacity, bytes.
    public let l2Bytes: Double
    /// Decode tiles running at once (SMs × tiles per SM); infinite when the GPU's SM count is unknown.
    public let concurrentTiles: Double
    /// Fixed time per decode sequence (its query heads' tiles), ns.
    public let perSequenceNs: Double
    /// Serial time per key of one tile, ns: the longest decode's walk bounds the share from below.
    public let keyLatencyNs: Double
    /// Fixed time of one tile, ns.
    public let tileNs: Double
    /// Time the GPU spends on one empty tile (a decode's rows past its first tile), ns: one SM's time over the SMs.
    public let emptyTileNs: Double

    /// The share for `heads` on `gpu` from a fitted kernel; nil when the kernel has no mixed-batch fit or the GPU runs
    /// other kernels for such batches (their decodes then cost as in a decode-only batch).
    public init?(kernel: AttentionKernel, heads: AttentionKernel.Heads, gpu: GPUSpec) {
        guard gpu.runsFlashAttention2ForMixedBatches, let l2Efficiency = kernel.mixedL2Efficiency, let headFlops = kernel.mixedHeadFlops, let tilesPerSM = kernel.mixedTilesPerSM else {
            return nil
        }
        groupSize = heads.query / heads.keyValue
        kvHeads = heads.keyValue
        bytesPerTokenPerKVHead = 2 * heads.dimension * heads.bytesPerElement
        dramBytesPerNs = gpu.peakBytesPerNs * kernel.decodeEfficiency
        l2BytesPerNs = gpu.peakBytesPerNs * min(l2Efficiency, ElementwiseKernel.maxEfficiency)
        l2Bytes = gpu.l2CacheBytes
        concurrentTiles = gpu.smCount.map { $0 * tilesPerSM } ?? .infinity
        perSequenceNs = heads.query * headFlops / gpu.peakFlopsPerNs
        keyLatencyNs = kernel.tileKeyNs(heads: heads, gpu: gpu)
        tileNs = kernel.prefillTileNs
        // Without an SM count an empty tile's share of the GPU is unknown; it is then not charged.
        emptyTileNs = gpu.smCount.map { (kernel.mixedEmptyTileNs ?? 0) / $0 } ?? 0
    }

    /// The share for `model` sharded `tp` ways on `gpu`, from the GPU's fitted attention; nil without one.
    public init?(model: ModelConfig, tp: Int, gpu: GPUSpec) {
        guard let kernel = gpu.kernels?.attention else { return nil }
        self.init(kernel: kernel, heads: ModelShard(model: model, tp: tp).attentionHeads, gpu: gpu)
    }

    /// DRAM reads of each KV head's bytes (1 to the group size) when `decodes` sequences hold `contextTokens` in all.
    @inlinable public func dramPasses(decodes: Int, contextTokens: Int) -> Double {
        dramPasses(decodes: decodes, kvHeadBytes: Double(contextTokens) * bytesPerTokenPerKVHead)
    }

    /// The same for one KV head's bytes over all the decodes.
    @inlinable func dramPasses(decodes: Int, kvHeadBytes: Double) -> Double {
        // The share of a group one wave holds, and the chance a later wave still finds the K/V in L2.
        let share = max(1 / groupSize, min(1, concurrentTiles / Double(max(decodes, 1)) / groupSize))
        let ratio = l2Bytes > 0 ? kvHeadBytes / l2Bytes : .infinity
        let inL2 = 1 / (1 + ratio * ratio * ratio * ratio)
        return 1 + (1 / share - 1) * (1 - inL2)
    }

    /// The decodes' time, ns: `decodes` sequences holding `contextTokens` tokens in all, the longest `longestContext`,
    /// beside chunks of at most `longestChunk` new tokens.
    @inlinable public func ns(decodes: Int, contextTokens: Int, longestContext: Int, longestChunk: Int) -> Double {
        let kvHeadBytes = Double(contextTokens) * bytesPerTokenPerKVHead
        let dram = dramPasses(decodes: decodes, kvHeadBytes: kvHeadBytes)
        let stream = kvHeads * kvHeadBytes * (dram / dramBytesPerNs + (groupSize - dram) / l2BytesPerNs)
        let emptyTiles = Double(decodes) * groupSize * kvHeads * max(0, (Double(longestChunk) / AttentionKernel.tileRows).rounded(.up) - 1)
        return max(Double(decodes) * perSequenceNs + stream + emptyTiles * emptyTileNs, tileNs + Double(longestContext) * keyLatencyNs)
    }
}
