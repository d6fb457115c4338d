/// A read-only view of an engine's state at one simulated time.
public struct EngineSnapshot: Sendable, Hashable, Codable {
    public struct ReplicaState: Sendable, Hashable, Codable {
        public var index: Int
        public var waiting: Int
        public var running: Int
        public var kvBlocksUsed: Int
        public var kvBlocksTotal: Int
        public var kvUtilization: Double
        public var iterations: Int
        /// Tokens routed to the replica and not yet computed (what `least_kv` balances).
        public var uncomputedTokens: Int
        /// End of the iteration in flight; nil when idle.
        public var busyUntil: SimTime?
    }

    public var clock: SimTime
    public var replicas: [ReplicaState]
    /// Requests submitted with a future arrival time, not yet queued.
    public var pending: Int

    public var waiting: Int { replicas.reduce(0) { $0 + $1.waiting } }
    public var running: Int { replicas.reduce(0) { $0 + $1.running } }
    public var kvBlocksUsed: Int { replicas.reduce(0) { $0 + $1.kvBlocksUsed } }
    public var kvBlocksTotal: Int { replicas.reduce(0) { $0 + $1.kvBlocksTotal } }
}
