/// How arriving requests are spread over replicas.
public enum RouterPolicy: String, Sendable, CaseIterable, Codable {
    case roundRobin = "round_robin"
    /// The replica with the fewest unfinished requests.
    case leastOutstanding = "least_outstanding"
    /// The replica with the lowest KV-cache utilization (ties: fewest unfinished, then lowest index).
    case leastKV = "least_kv"
}

/// Picks a replica for each arrival; deterministic.
struct Router {
    let policy: RouterPolicy
    private var next = 0

    init(policy: RouterPolicy) { self.policy = policy }

    mutating func choose(_ replicas: [Replica]) -> Int {
        switch policy {
        case .roundRobin:
            defer { next = (next + 1) % replicas.count }
            return next % replicas.count
        case .leastOutstanding:
            return replicas.indices.min { (replicas[$0].outstanding, $0) < (replicas[$1].outstanding, $1) }!
        case .leastKV:
            return replicas.indices.min {
                (replicas[$0].kv.utilization, replicas[$0].outstanding, $0) < (replicas[$1].kv.utilization, replicas[$1].outstanding, $1)
            }!
        }
    }
}
