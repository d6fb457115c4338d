/// The engine's mutable state of one request (vLLM's naming: tokens so far, tokens computed into the KV cache).
struct SequenceState {
    var spec: RequestSpec
    var phase: RequestPhase = .waiting
    var replica: Int = 0
    /// Prompt plus generated tokens.
    var numTokens: Int
    /// Tokens whose keys and values are in the KV cache.
    var computedTokens = 0
    var generatedTokens = 0
    /// KV blocks held.
    var blocks = 0
    /// Chained hashes of the sequence's full blocks whose tokens are known, then (from its first preemption) of
    /// its own blocks; empty without prefix caching.
    var blockHashes: [UInt64] = []
    /// Leading blocks of `blockHashes` that other requests can share (indexed as soon as they are filled).
    var sharedBlocks = 0
    /// Seeds the hashes of blocks only this request holds.
    var uniqueID: UInt64 = 0
    /// Ids of the blocks held, in sequence order (with prefix caching; `blocks` of them).
    var blockIDs: [Int32] = []
    /// Leading blocks indexed by their hash; the rest of `blocks` are not (yet) full.
    var cachedBlocks = 0
    /// Prompt tokens found in the prefix cache when first scheduled; -1 until then.
    var cachedTokens = -1
    var preemptions = 0
    /// When first scheduled, ns; -1 until then.
    var firstScheduledNs: Int64 = -1
    var firstTokenNs: Int64 = -1
    var lastTokenNs: Int64 = -1
    var maxInterTokenNs: Int64 = 0

    init(spec: RequestSpec) {
        self.spec = spec
        numTokens = spec.inputTokens
    }

    /// Tokens the next iteration must compute to reach the next sample: the whole (re)prefill, or 1 when decoding.
    @inline(__always) var pendingTokens: Int { numTokens - computedTokens }
}
