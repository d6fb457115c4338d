/// What happened in the engine, in simulated-time order, for front ends that follow requests live.
public enum EngineEvent: Sendable, Hashable {
    /// The request entered a replica's waiting queue.
    case queued(RequestID, replica: Int, at: SimTime)
    /// Output token number `index` (1-based; 1 is the first token) was emitted.
    case token(RequestID, index: Int, at: SimTime)
    /// The request lost its KV blocks and will be recomputed.
    case preempted(RequestID, at: SimTime)
    case finished(RequestRecord)
    case cancelled(RequestID, at: SimTime)
    /// Refused at submission: too long for the context or for the whole KV cache.
    case rejected(RequestID, reason: String, at: SimTime)
}
