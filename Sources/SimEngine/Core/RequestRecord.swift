/// The timeline of one finished request and the latencies derived from it (all times in ns).
public struct RequestRecord: Sendable, Hashable, Codable {
    public var id: RequestID
    public var replica: Int
    public var inputTokens: Int
    public var outputTokens: Int
    public var arrival: SimTime
    /// When the request first entered a batch.
    public var firstScheduled: SimTime
    public var firstToken: SimTime
    public var end: SimTime
    public var preemptions: Int
    /// Prompt tokens found in the prefix cache when first scheduled (their prefill was skipped).
    public var cachedTokens: Int = 0
    /// Largest gap between two consecutive output tokens, 0 for a single token.
    public var maxInterTokenLatency: SimTime

    /// End-to-end latency.
    public var latency: SimTime { end - arrival }
    public var queuingDelay: SimTime { firstScheduled - arrival }
    /// Time to first token.
    public var ttft: SimTime { firstToken - arrival }
    /// Time per output token after the first: (E2E − TTFT) / (output − 1); 0 for one output token.
    public var tpot: SimTime {
        outputTokens > 1 ? SimTime(nanoseconds: (end - firstToken).nanoseconds / Int64(outputTokens - 1)) : .zero
    }
}
