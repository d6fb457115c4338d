/// What the decode sequences of a batch that also holds a prefill chunk cost in one attention layer. vLLM 0.19 runs
/// such a batch through FlashAttention's varlen kernel without split-KV or GQA packing: every query head of a decode
/// walks its sequence's K and V in a tile of its own, the group's repeated reads partly served from L2.
public struct MixedBatchAttention: Sendable, Hashable {
    /// Time per cached token of one decode sequence, all the shard's query heads together, ns.
    public let perTokenNs: Double
    /// Fixed time per decode sequence (its query heads' tiles), ns.
    public let perSequenceNs: Double
    /// Serial time per key of one tile, ns: the longest decode's walk bounds the share from below.
    public let keyLatencyNs: Double

    /// The share for `heads` on `gpu` from a fitted kernel; nil when the kernel has no mixed-batch fit.
    public init?(kernel: AttentionKernel, heads: AttentionKernel.Heads, gpu: GPUSpec) {
        guard let bandwidth = kernel.mixedHeadBandwidth, let headFlops = kernel.mixedHeadFlops else { return nil }
        // Each KV head's bytes come from DRAM at least once, however many query heads share them.
        let multiple = min(bandwidth, heads.query / heads.keyValue)
        perTokenNs = heads.query * 2 * heads.dimension * heads.bytesPerElement / (gpu.peakBytesPerNs * multiple)
        perSequenceNs = heads.query * headFlops / gpu.peakFlopsPerNs
        keyLatencyNs = kernel.keyLatencyNs
    }

    /// The share for `model` sharded `tp` ways on `gpu`, from the GPU's fitted attention; nil without one.
    public init?(model: ModelConfig, tp: Int, gpu: GPUSpec) {
        guard let kernel = gpu.kernels?.attention else { return nil }
        self.init(kernel: kernel, heads: ModelShard(model: model, tp: tp).attentionHeads, gpu: gpu)
    }

    /// The decodes' time, ns: `decodes` sequences holding `contextTokens` tokens in all, the longest `longestContext`.
    @inlinable public func ns(decodes: Int, contextTokens: Int, longestContext: Int) -> Double {
        max(Double(decodes) * perSequenceNs + Double(contextTokens) * perTokenNs, Double(longestContext) * keyLatencyNs)
    }
}
