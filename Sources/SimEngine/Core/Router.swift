/// How arriving requests are spread over replicas.
public enum RouterPolicy: String, Sendable, CaseIterable, Codable {
    case roundRobin = "round_robin"
    /// The replica with the fewest unfinished requests.
    case leastOutstanding = "least_outstanding"
    /// The replica with the least KV still to compute, as time: the rest of its step in flight plus the tokens routed
    /// to it and not yet in its cache at its recent pace, so a burst routed before it holds blocks still counts
    /// (ties: least KV committed, then the next in turn).
    case leastKV = "least_kv"
    /// The replica holding the longest cached prefix of the prompt, unless the load is unbalanced
    /// (SGLang router's cache-aware policy): then, and when no replica holds half the prompt, `least_kv`'s choice.
    case prefix
}

/// Picks a replica for each arrival; deterministic.
struct Router {
    let policy: RouterPolicy
    private var next = 0

    /// Load is unbalanced when the busiest replica has this many more unfinished requests than the idlest, and
    /// this many times as many (SGLang's `balance_abs_threshold`, `balance_rel_threshold` defaults are 32 and 1.0001
    /// for a fleet; smaller here, for the few replicas one engine runs).
    static let balanceAbsolute = 8
    static let balanceRelative = 1.5
    /// The share of the prompt a replica must hold cached to attract it (SGLang's `cache_threshold`, 0.5).
    static let cacheThreshold = 0.5

    init(policy: RouterPolicy) { self.policy = policy }

    /// The replica for a request of `tokens` prompt tokens whose shareable blocks hash to `hashes`, arriving at `now` ns.
    mutating func choose(_ replicas: [Replica], hashes: [UInt64], tokens: Int, now: Int64) -> Int {
        switch policy {
        case .roundRobin:
            defer { next = (next + 1) % replicas.count }
            return next % replicas.count
        case .leastOutstanding:
            return replicas.indices.min { (replicas[$0].outstanding, $0) < (replicas[$1].outstanding, $1) }!
        case .leastKV:
            return leastKV(replicas, now: now)
        case .prefix:
            let loads = replicas.map(\.outstanding)
            let (low, high) = (loads.min()!, loads.max()!)
            if high - low > Self.balanceAbsolute && Double(high) > Double(low) * Self.balanceRelative { return leastKV(replicas, now: now) }
            let maxBlocks = max(0, tokens - 1) / max(1, replicas[0].kv.blockSize)
            let hits = replicas.map { $0.kv.lookup(hashes, maxBlocks: maxBlocks).blocks }
            let best = replicas.indices.max { (hits[$0], -loads[$0], -$0) < (hits[$1], -loads[$1], -$1) }!
            let cached = Double(hits[best] * replicas[best].kv.blockSize)
            return tokens > 0 && cached >= Self.cacheThreshold * Double(tokens) ? best : leastKV(replicas, now: now)
        }
    }

    /// The wait for tokens still to compute ranks first: they are the prefill queue a new prompt waits behind, while
    /// blocks held by decoding requests delay it little. Ties go round the replicas in turn, so equal replicas share a
    /// burst. A replica that has not stepped yet is paced as the others are on average.
    private mutating func leastKV(_ replicas: [Replica], now: Int64) -> Int {
        let count = replicas.count
        let start = next
        let paces = replicas.compactMap(\.nsPerToken)
        let fallback = paces.isEmpty ? 1 : paces.reduce(0, +) / Double(paces.count)
        let ahead = replicas.map { $0.waitNs(now: now, fallbackNsPerToken: fallback) }
        let chosen = replicas.indices.min {
            (ahead[$0], replicas[$0].committedKV, ($0 - start + count) % count)
                < (ahead[$1], replicas[$1].committedKV, ($1 - start + count) % count)
        }!
        next = (chosen + 1) % count
        return chosen
    }
}
