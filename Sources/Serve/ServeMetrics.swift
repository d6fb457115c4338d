public import Prometheus
import SimEngine

/// Prometheus metrics with vLLM's names, labelled by model, so dashboards made for vLLM work.
/// Gauges are set from the engine's state at each scrape; counters and histograms as requests progress.
public final class ServeMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let running: Gauge
    private let waiting: Gauge
    private let kvUsage: Gauge
    /// vLLM v0's name for the KV-cache usage, kept so older dashboards work.
    private let gpuCacheUsage: Gauge
    private let ttft: DurationHistogram
    private let interToken: DurationHistogram
    /// vLLM v0's name for the inter-token latency.
    private let interTokenV0: DurationHistogram
    private let timePerOutputToken: DurationHistogram
    private let e2e: DurationHistogram
    private let queue: DurationHistogram
    private let promptTokens: Counter
    private let generationTokens: Counter
    private let success: Counter
    private let preemptions: Counter
    private let prefixCacheQueries: Counter
    private let prefixCacheHits: Counter

    /// The metrics of `model` in `registry` (shared by every model of a server).
    public init(model: String, registry: PrometheusCollectorRegistry) {
        self.registry = registry
        let labels = [("model_name", model)]
        func name(_ metric: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(metricName: metric, unitName: "", helpText: help)
        }
        let latencyBuckets: [Duration] = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80]
            .map { .nanoseconds(Int64($0 * 1e9)) }
        let requestBuckets: [Duration] = [0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960]
            .map { .nanoseconds(Int64($0 * 1e9)) }
        running = registry.makeGauge(descriptor: name("vllm:num_requests_running", "Number of requests in model execution batches."), labels: labels)
        waiting = registry.makeGauge(descriptor: name("vllm:num_requests_waiting", "Number of requests waiting to be processed."), labels: labels)
        kvUsage = registry.makeGauge(descriptor: name("vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage."), labels: labels)
        gpuCacheUsage = registry.makeGauge(descriptor: name("vllm:gpu_cache_usage_perc", "GPU KV-cache usage. 1 means 100 percent usage (vLLM v0 name)."), labels: labels)
        interTokenV0 = registry.makeDurationHistogram(descriptor: name("vllm:time_per_output_token_seconds", "Histogram of time per output token in seconds (vLLM v0 name)."), labels: labels, buckets: latencyBuckets)
        ttft = registry.makeDurationHistogram(descriptor: name("vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds."), labels: labels, buckets: latencyBuckets)
        interToken = registry.makeDurationHistogram(descriptor: name("vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds."), labels: labels, buckets: latencyBuckets)
        timePerOutputToken = registry.makeDurationHistogram(descriptor: name("vllm:request_time_per_output_token_seconds", "Histogram of time per output token in seconds."), labels: labels, buckets: latencyBuckets)
        e2e = registry.makeDurationHistogram(descriptor: name("vllm:e2e_request_latency_seconds", "Histogram of end to end request latency in seconds."), labels: labels, buckets: requestBuckets)
        queue = registry.makeDurationHistogram(descriptor: name("vllm:request_queue_time_seconds", "Histogram of time spent in WAITING phase for request."), labels: labels, buckets: requestBuckets)
        promptTokens = registry.makeCounter(descriptor: name("vllm:prompt_tokens_total", "Number of prefill tokens processed."), labels: labels)
        generationTokens = registry.makeCounter(descriptor: name("vllm:generation_tokens_total", "Number of generation tokens processed."), labels: labels)
        success = registry.makeCounter(descriptor: name("vllm:request_success_total", "Count of successfully processed requests."), labels: labels)
        preemptions = registry.makeCounter(descriptor: name("vllm:num_preemptions_total", "Cumulative number of preemption from the engine."), labels: labels)
        prefixCacheQueries = registry.makeCounter(descriptor: name("vllm:prefix_cache_queries", "Prefix cache queries, in terms of number of queried tokens."), labels: labels)
        prefixCacheHits = registry.makeCounter(descriptor: name("vllm:prefix_cache_hits", "Prefix cache hits, in terms of number of cached tokens."), labels: labels)
    }

    func observe(_ snapshot: EngineSnapshot) {
        running.set(Double(snapshot.running))
        waiting.set(Double(snapshot.waiting + snapshot.pending))
        let usage = snapshot.kvBlocksTotal > 0 ? Double(snapshot.kvBlocksUsed) / Double(snapshot.kvBlocksTotal) : 0
        kvUsage.set(usage)
        gpuCacheUsage.set(usage)
    }

    /// A request's prompt was prefilled (its first token came), as vLLM counts prompt tokens.
    func recordPrefilled(promptTokens count: Int) {
        promptTokens.increment(by: Int64(count))
    }

    func recordToken(gapNs: Int64?) {
        generationTokens.increment()
        if let gapNs {
            interToken.recordNanoseconds(gapNs)
            interTokenV0.recordNanoseconds(gapNs)
        }
    }

    func recordFinished(_ record: RequestRecord) {
        success.increment()
        ttft.recordNanoseconds(record.ttft.nanoseconds)
        if record.outputTokens > 1 { timePerOutputToken.recordNanoseconds(record.tpot.nanoseconds) }
        e2e.recordNanoseconds(record.latency.nanoseconds)
        queue.recordNanoseconds(record.queuingDelay.nanoseconds)
    }

    func recordPreemption() { preemptions.increment() }

    /// Prompt tokens newly looked up in the prefix cache, and those found.
    func recordPrefixCache(queries: Int, hits: Int) {
        if queries > 0 { prefixCacheQueries.increment(by: Int64(queries)) }
        if hits > 0 { prefixCacheHits.increment(by: Int64(hits)) }
    }
}
