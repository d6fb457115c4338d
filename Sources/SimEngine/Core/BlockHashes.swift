/// Chained hashes of a request's full KV blocks, as vLLM's `hash_request_tokens` (`vllm/v1/core/kv_cache_utils.py`):
/// block i's hash covers block i's tokens and block i − 1's hash, so equal hashes mean equal prefixes.
/// Deterministic (not Swift's seeded `Hasher`), never 0 (0 marks an empty block in the free queue).
enum BlockHashes {
    /// Hashes of the full blocks (at most `count`) whose tokens `content` gives: the blocks others can share.
    static func shared(content: PromptContent, count: Int, blockSize: Int) -> [UInt64] {
        var parent = seed
        switch content {
        case .unknown:
            return []
        case .tokens(let ids):
            let known = min(count, ids.count / blockSize)
            return (0..<known).map { block in
                var hash = parent
                for index in (block * blockSize)..<((block + 1) * blockSize) {
                    hash = (hash ^ UInt64(ids[index])) &* 0x0000_0100_0000_01B3
                }
                parent = nonZero(mix(hash))
                return parent
            }
        case .sharedPrefix(let id, let tokens):
            let known = min(count, tokens / blockSize)
            let prefix = mix(UInt64(truncatingIfNeeded: id) &+ 0x5851_F42D_4C95_7F2D)
            return (0..<known).map { block in
                parent = nonZero(mix(parent ^ prefix ^ UInt64(block)))
                return parent
            }
        }
    }

    /// Extends `hashes` to `count` blocks with hashes unique to the request `uniqueID`, chained on the last one:
    /// blocks whose tokens no other request has, which only the request itself can hit after a preemption.
    static func extend(_ hashes: inout [UInt64], to count: Int, uniqueID: UInt64) {
        guard hashes.count < count else { return }
        let salt = mix(uniqueID &+ 0xD6E8_FEB8_6659_FD93)
        var parent = hashes.last ?? seed
        for block in hashes.count..<count {
            parent = nonZero(mix(parent ^ salt ^ UInt64(block)))
            hashes.append(parent)
        }
    }

    private static let seed: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// SplitMix64's finalizer: spreads every input bit over the output.
    @inline(__always) static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always) private static func nonZero(_ hash: UInt64) -> UInt64 { hash == 0 ? 1 : hash }
}
