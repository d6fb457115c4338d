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
    /// Chained hashes of the sequence's full blocks (empty without prefix caching).
    var blockHashes: [UInt64] = []
    /// Leading blocks held through the prefix cache (indexed by their hash); the rest of `blocks` are private.
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
