/// Running totals and latency distributions of an engine; constant memory in the number of requests.
public struct EngineMetrics: Sendable, Hashable {
    public var submitted = 0
    public var completed = 0
    public var rejected = 0
    public var cancelled = 0
    public var preemptions = 0
    public var iterations = 0
    /// Iterations whose batch went past the table's points (latency extrapolated).
    public var extrapolatedIterations = 0
    /// Prompt tokens of completed requests.
    public var promptTokens = 0
    /// Output tokens emitted (all requests, including ones later cancelled).
    public var generatedTokens = 0
    /// Prompt tokens looked up in the prefix cache when requests were first scheduled, and those found
    /// (vLLM's `vllm:prefix_cache_queries` and `vllm:prefix_cache_hits`).
    public var prefixCacheQueries = 0
    public var prefixCacheHits = 0
    /// The same for requests resumed after a preemption: tokens they had, and those still cached.
    public var resumedPrefixCacheQueries = 0
    public var resumedPrefixCacheHits = 0
    public var ttft = LatencyHistogram()
    public var tpot = LatencyHistogram()
    /// Every gap between consecutive output tokens of a request.
    public var itl = LatencyHistogram()
    public var e2e = LatencyHistogram()
    public var queuing = LatencyHistogram()
    /// Earliest arrival and latest completion seen.
    public var firstArrival: SimTime = .never
    public var lastCompletion: SimTime = .zero
    /// ∫ KV utilization dt over replicas (ns), for the time-weighted mean.
    public var kvUtilizationIntegral: Double = 0
    /// Time covered by `kvUtilizationIntegral`, ns, per replica summed.
    public var kvObservedNs: Double = 0
    public var peakKVUtilization: Double = 0

    public init() {}

    mutating func record(_ record: RequestRecord) {
        completed += 1
        promptTokens += record.inputTokens
        ttft.record(record.ttft.nanoseconds)
        if record.outputTokens > 1 { tpot.record(record.tpot.nanoseconds) }
        e2e.record(record.latency.nanoseconds)
        queuing.record(record.queuingDelay.nanoseconds)
        if record.end > lastCompletion { lastCompletion = record.end }
    }

    /// Time-weighted mean KV utilization, 0...1.
    public var meanKVUtilization: Double { kvObservedNs > 0 ? kvUtilizationIntegral / kvObservedNs : 0 }
}
