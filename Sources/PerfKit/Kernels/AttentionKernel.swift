/// Fitted parameters of FlashAttention as vLLM runs it over a paged KV cache. A batch costs one floor plus each
/// sequence's work: a decode sequence streams its cached K and V (split-KV), a prefill chunk is compute-bound with an
/// efficiency that rises with the context each query sees, or bound by one tile's serial walk over the keys.
public struct AttentionKernel: Sendable, Hashable, Codable {
    /// Fraction of peak tensor FLOP/s a prefill reaches with long contexts.
    public var prefillEfficiency: Double
    /// Mean context per query (tokens) at which prefill efficiency is half its ceiling.
    public var prefillHalfContext: Double
    /// Serial time per key of one query tile, ns: the bound for short chunks over long caches.
    public var keyLatencyNs: Double
    /// Fraction of peak bandwidth reached streaming the KV cache.
    public var decodeEfficiency: Double
    /// Fixed time per decode sequence in a batch (block tables, split-KV combine), ns.
    public var decodeSequenceNs: Double
    /// Time of one attention kernel launch, paid once per batch, ns.
    public var floorNs: Double
    /// In a batch that also holds a prefill chunk: the multiple of DRAM bandwidth at which a query head re-reads its
    /// group's K/V from L2 (≤ 4); nil when the GPU has no mixed-batch fit (`MixedBatchAttention`).
    public var mixedL2Efficiency: Double?
    /// Fixed tensor work of one query head's tile of a decode sequence in such a batch (its padded rows over the first
    /// keys, its epilogue), FLOPs at peak: a compute cost, so it follows the GPU's FLOP rate.
    public var mixedHeadFlops: Double?
    /// Decode tiles one SM runs at once in such a batch: with the SM count, how many query heads of a KV group share
    /// one wave (and so one DRAM read of its K/V).
    public var mixedTilesPerSM: Double?

    enum CodingKeys: String, CodingKey {
        case prefillEfficiency = "prefill_efficiency", prefillHalfContext = "prefill_half_context"
        case keyLatencyNs = "key_latency_ns", decodeEfficiency = "decode_efficiency"
        case decodeSequenceNs = "decode_sequence_ns", floorNs = "floor_ns"
        case mixedL2Efficiency = "mixed_l2_efficiency", mixedHeadFlops = "mixed_head_flops", mixedTilesPerSM = "mixed_tiles_per_sm"
    }

    /// The shape of one layer's attention on one GPU.
    public struct Heads: Sendable, Hashable {
        public var query: Double
        public var keyValue: Double
        public var dimension: Double
        public var bytesPerElement: Double

        public init(query: Double, keyValue: Double, dimension: Double, bytesPerElement: Double) {
            self.query = query
            self.keyValue = keyValue
            self.dimension = dimension
            self.bytesPerElement = bytesPerElement
        }
    }

    /// One sequence's share of a batch: `input` new tokens over `kvCache` cached ones, ns, without the floor.
    public func sequenceNs(input: Double, kvCache: Double, heads: Heads, gpu: GPUSpec) -> Double {
        guard input > 0 else { return 0 }
        let kvWidth = heads.keyValue * heads.dimension
        let qWidth = heads.query * heads.dimension
        let context = kvCache + input
        let decodeBytes = (2 * context * kvWidth + 2 * input * qWidth) * heads.bytesPerElement
        let decodeNs = decodeBytes / (gpu.peakBytesPerNs * decodeEfficiency) + decodeSequenceNs
        if input == 1 { return decodeNs }
        let pairs = input * kvCache + input * (input + 1) / 2
        let meanContext = pairs / input
        let flops = 4 * heads.query * heads.dimension * pairs
        let computeNs = flops * (meanContext + prefillHalfContext) / meanContext / (gpu.peakFlopsPerNs * prefillEfficiency)
        let walkNs = context * keyLatencyNs
        let memoryNs = (2 * input * qWidth + 2 * context * kvWidth) * heads.bytesPerElement / (gpu.peakBytesPerNs * decodeEfficiency)
        // A chunk never costs less than streaming its context as a decode would, so time rises with new tokens.
        return max((computeNs * computeNs + walkNs * walkNs + memoryNs * memoryNs).squareRoot(), decodeNs)
    }

    /// A whole batch's attention in one layer, ns: in a batch that also holds a prefill chunk the decodes cost as
    /// `MixedBatchAttention` has it, when the kernel has that fit.
    public func batchNs(_ sequences: [(input: Int, kvCache: Int)], heads: Heads, gpu: GPUSpec) -> Double {
        var decodeNs = 0.0, prefillNs = 0.0
        var decodes = 0, contextTokens = 0, longestContext = 0
        for sequence in sequences {
            let ns = sequenceNs(input: Double(sequence.input), kvCache: Double(sequence.kvCache), heads: heads, gpu: gpu)
            if sequence.input == 1 {
                decodeNs += ns
                decodes += 1
                contextTokens += sequence.kvCache + 1
                longestContext = max(longestContext, sequence.kvCache + 1)
            } else {
                prefillNs += ns
            }
        }
        guard decodes > 0, decodes < sequences.count, let mixed = MixedBatchAttention(kernel: self, heads: heads, gpu: gpu) else {
            return floorNs + prefillNs + decodeNs
        }
        return floorNs + prefillNs + mixed.ns(decodes: decodes, contextTokens: contextTokens, longestContext: longestContext)
    }
}
