/// Fitted parameters of FlashAttention as vLLM runs it over a paged KV cache. A decode-only batch costs one floor plus
/// each sequence's stream of its cached K and V (split-KV). A prefill chunk runs as tiles of 64 query rows per query
/// head, one per SM at a time, in waves: each tile walks the keys up to its own last row (causal).
public struct AttentionKernel: Sendable, Hashable, Codable {
    /// Fraction of one SM's share of the tensor peak that a prefill tile's loop over the keys reaches.
    public var prefillEfficiency: Double
    /// Fixed time of one prefill tile (its query rows' load, the masked diagonal block, the output write), ns.
    public var prefillTileNs: Double
    /// Fraction of peak bandwidth reached streaming the KV cache.
    public var decodeEfficiency: Double
    /// Fixed time per decode sequence in a batch (block tables, split-KV combine), ns.
    public var decodeSequenceNs: Double
    /// Time of a decode-only batch's split-KV kernels (the attention and the combine), paid once per such batch, ns.
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
    /// SM time of one empty tile in such a batch, ns: the grid gives every sequence as many 64-row tiles as the longest
    /// chunk needs, and a decode's tiles past its one row exit at once (`num_m_block` of FlashAttention 2's varlen grid).
    public var mixedEmptyTileNs: Double?

    enum CodingKeys: String, CodingKey {
        case prefillEfficiency = "prefill_efficiency", prefillTileNs = "prefill_tile_ns"
        case decodeEfficiency = "decode_efficiency"
        case decodeSequenceNs = "decode_sequence_ns", floorNs = "floor_ns"
        case mixedL2Efficiency = "mixed_l2_efficiency", mixedHeadFlops = "mixed_head_flops", mixedTilesPerSM = "mixed_tiles_per_sm"
        case mixedEmptyTileNs = "mixed_empty_tile_ns"
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

    /// Query rows of one prefill tile: FlashAttention 2 runs a paged KV cache through its split-KV forward kernel,
    /// whose `kBlockM` is 64 for every head size (`run_mha_fwd_splitkv_dispatch`).
    public static let tileRows = 64.0

    /// One tile's time per key it walks, ns: 64 rows × `dimension` of QKᵀ and PV at the SM's share of the peak.
    public func tileKeyNs(heads: Heads, gpu: GPUSpec) -> Double {
        4 * Self.tileRows * heads.dimension / (gpu.peakFlopsPerNs / (gpu.smCount ?? 1) * prefillEfficiency)
    }

    /// One sequence's share of a batch: `input` new tokens over `kvCache` cached ones, ns, without the decode floor.
    public func sequenceNs(input: Double, kvCache: Double, heads: Heads, gpu: GPUSpec) -> Double {
        guard input > 0 else { return 0 }
        let kvWidth = heads.keyValue * heads.dimension
        let qWidth = heads.query * heads.dimension
        let context = kvCache + input
        let streamBytes = (2 * context * kvWidth + 2 * input * qWidth) * heads.bytesPerElement
        let streamNs = streamBytes / (gpu.peakBytesPerNs * decodeEfficiency)
        let decodeNs = streamNs + decodeSequenceNs
        if input == 1 { return decodeNs }
        // Tile i walks kvCache + min(input, (i + 1) × rows) keys; tiles of all query heads share the SMs in waves.
        let tiles = (input / Self.tileRows).rounded(.up)
        let keys = tiles * kvCache + Self.tileRows * (tiles - 1) * tiles / 2 + input
        let keyNs = tileKeyNs(heads: heads, gpu: gpu)
        let meanTileNs = prefillTileNs + keys / tiles * keyNs
        let longestTileNs = prefillTileNs + context * keyNs
        let headTiles = tiles * heads.query
        // A chunk never costs less than streaming its context as a decode would, so time rises with new tokens.
        guard let sms = gpu.smCount else {
            // Without an SM count the tiles' key walks spread evenly over the whole GPU, with one fixed tile time.
            return max(prefillTileNs + headTiles * (meanTileNs - prefillTileNs), streamNs, decodeNs)
        }
        let waves = (headTiles / sms).rounded(.up)
        return max(waves * meanTileNs, longestTileNs, streamNs, decodeNs)
    }

    /// A whole batch's attention in one layer, ns: a decode-only batch pays the floor; in a batch that also holds a
    /// prefill chunk the decodes cost as `MixedBatchAttention` has it, when the kernel has that fit.
    public func batchNs(_ sequences: [(input: Int, kvCache: Int)], heads: Heads, gpu: GPUSpec) -> Double {
        var decodeNs = 0.0, prefillNs = 0.0
        var decodes = 0, contextTokens = 0, longestContext = 0, longestChunk = 0
        for sequence in sequences where sequence.input > 0 {
            let ns = sequenceNs(input: Double(sequence.input), kvCache: Double(sequence.kvCache), heads: heads, gpu: gpu)
            if sequence.input == 1 {
                decodeNs += ns
                decodes += 1
                contextTokens += sequence.kvCache + 1
                longestContext = max(longestContext, sequence.kvCache + 1)
            } else {
                prefillNs += ns
                longestChunk = max(longestChunk, sequence.input)
            }
        }
        if prefillNs == 0 { return decodes > 0 ? floorNs + decodeNs : 0 }
        guard decodes > 0, let mixed = MixedBatchAttention(kernel: self, heads: heads, gpu: gpu) else { return prefillNs + decodeNs }
        return prefillNs + mixed.ns(decodes: decodes, contextTokens: contextTokens, longestContext: longestContext, longestChunk: longestChunk)
    }
}
