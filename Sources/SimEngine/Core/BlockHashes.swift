/// Chained hashes of a request's full KV blocks, as vLLM's `hash_request_tokens` (`vllm/v1/core/kv_cache_utils.py`):
/// block i's hash covers block i's tokens and block i − 1's hash, so equal hashes mean equal prefixes.
/// Deterministic (not Swift's seeded `Hasher`), never 0 (0 marks an empty block in the free queue).
enum BlockHashes {
    /// Hashes of the `count` full blocks of a sequence. Blocks whose tokens `content` gives hash those tokens;
    /// the others are unique to the request (`uniqueID`), so only the request itself can hit them again.
    static func chain(content: PromptContent, count: Int, blockSize: Int, uniqueID: UInt64) -> [UInt64] {
        var hashes: [UInt64] = []
        hashes.reserveCapacity(count)
        var parent: UInt64 = 0x9E37_79B9_7F4A_7C15
        var known = 0
        switch content {
        case .unknown: break
        case .tokens(let ids):
            known = min(count, ids.count / blockSize)
            for block in 0..<known {
                var hash = parent
                for index in (block * blockSize)..<((block + 1) * blockSize) {
                    hash = (hash ^ UInt64(ids[index])) &* 0x0000_0100_0000_01B3
                }
                parent = nonZero(mix(hash))
                hashes.append(parent)
            }
        case .sharedPrefix(let id, let tokens):
            known = min(count, tokens / blockSize)
            for block in 0..<known {
                parent = nonZero(mix(parent ^ mix(UInt64(truncatingIfNeeded: id) &+ 0x5851_F42D_4C95_7F2D) ^ UInt64(block)))
                hashes.append(parent)
            }
        }
        let salt = mix(uniqueID &+ 0xD6E8_FEB8_6659_FD93)
        for block in known..<max(known, count) {
            parent = nonZero(mix(parent ^ salt ^ UInt64(block)))
            hashes.append(parent)
        }
        return hashes
    }

    /// SplitMix64's finalizer: spreads every input bit over the output.
    @inline(__always) static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always) private static func nonZero(_ hash: UInt64) -> UInt64 { hash == 0 ? 1 : hash }
}
