/// Where a request is in its life.
public enum RequestPhase: String, Sendable, Hashable, Codable {
    /// Arrived, not yet scheduled (or preempted and waiting to be recomputed).
    case waiting
    /// Its prompt (or, after preemption, prompt plus generated tokens) is being computed in chunks.
    case prefilling
    /// Generating one token per iteration.
    case decoding
    /// Evicted from the KV cache; will be recomputed.
    case preempted
    case finished
    case cancelled
    /// Refused at submission (see the reason in its event).
    case rejected
}
