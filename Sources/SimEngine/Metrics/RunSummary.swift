import PerfKit
public import Foundation

/// The summary of a run: latency distributions, throughput, goodput, preemptions and KV use.
public struct RunSummary: Sendable, Hashable, Codable {
    /// Mean and percentiles of one latency, ms.
    public struct Distribution: Sendable, Hashable, Codable {
        public var mean: Double
        public var p50: Double
        public var p90: Double
        public var p99: Double
        public var max: Double

        public init(_ histogram: LatencyHistogram) {
            func ms(_ ns: Int64) -> Double { Self.round(Double(ns) / 1e6) }
            mean = Self.round(histogram.mean / 1e6)
            p50 = ms(histogram.quantile(0.5))
            p90 = ms(histogram.quantile(0.9))
            p99 = ms(histogram.quantile(0.99))
            max = ms(histogram.max)
        }

        static func round(_ value: Double) -> Double { (value * 1e6).rounded() / 1e6 }
    }

    public var model: String
    public var hardware: String
    public var tp: Int
    public var replicas: Int
    public var scheduler: SchedulerConfig
    public var router: String
    public var submitted: Int
    public var completed: Int
    public var rejected: Int
    public var cancelled: Int
    /// First arrival to last completion, s.
    public var durationSeconds: Double
    public var ttftMs: Distribution
    public var tpotMs: Distribution
    public var itlMs: Distribution
    public var e2eMs: Distribution
    public var queuingDelayMs: Distribution
    public var requestsPerSecond: Double
    public var outputTokensPerSecond: Double
    /// Prompt plus output tokens per second.
    public var totalTokensPerSecond: Double
    public var slo: ServiceLevelObjective
    /// Completed requests per second that met the SLO.
    public var goodputRequestsPerSecond: Double
    public var sloAttainment: Double
    public var preemptions: Int
    public var iterations: Int
    public var extrapolatedIterations: Int
    public var kvBlocksPerReplica: Int
    /// Prompt tokens looked up in the prefix cache at first scheduling, those found, and their ratio (0 when off).
    public var prefixCacheQueries: Int
    public var prefixCacheHits: Int
    public var prefixCacheHitRate: Double
    /// Tokens of preempted requests at their resumption, and those found cached (not recomputed).
    public var resumedPrefixCacheQueries: Int
    public var resumedPrefixCacheHits: Int
    public var peakKVUtilization: Double
    public var meanKVUtilization: Double

    public init(engine: ServingEngine, slo: ServiceLevelObjective, metSLO: Int) {
        let metrics = engine.metrics
        let duration = metrics.completed > 0 ? (metrics.lastCompletion - metrics.firstArrival).seconds : 0
        func rate(_ count: Int) -> Double { duration > 0 ? Distribution.round(Double(count) / duration) : 0 }
        model = engine.model.id
        hardware = engine.gpu.name
        tp = engine.tp
        replicas = engine.replicas.count
        scheduler = engine.config
        router = engine.routerPolicy.rawValue
        submitted = metrics.submitted
        completed = metrics.completed
        rejected = metrics.rejected
        cancelled = metrics.cancelled
        durationSeconds = Distribution.round(duration)
        ttftMs = Distribution(metrics.ttft)
        tpotMs = Distribution(metrics.tpot)
        itlMs = Distribution(metrics.itl)
        e2eMs = Distribution(metrics.e2e)
        queuingDelayMs = Distribution(metrics.queuing)
        requestsPerSecond = rate(metrics.completed)
        outputTokensPerSecond = rate(metrics.generatedTokens)
        totalTokensPerSecond = rate(metrics.generatedTokens + metrics.promptTokens)
        self.slo = slo
        goodputRequestsPerSecond = rate(metSLO)
        sloAttainment = metrics.completed > 0 ? Distribution.round(Double(metSLO) / Double(metrics.completed)) : 0
        preemptions = metrics.preemptions
        iterations = metrics.iterations
        extrapolatedIterations = metrics.extrapolatedIterations
        kvBlocksPerReplica = engine.kvCapacity.totalBlocks
        prefixCacheQueries = metrics.prefixCacheQueries
        prefixCacheHits = metrics.prefixCacheHits
        resumedPrefixCacheQueries = metrics.resumedPrefixCacheQueries
        resumedPrefixCacheHits = metrics.resumedPrefixCacheHits
        prefixCacheHitRate = metrics.prefixCacheQueries > 0 ? Distribution.round(Double(metrics.prefixCacheHits) / Double(metrics.prefixCacheQueries)) : 0
        peakKVUtilization = Distribution.round(metrics.peakKVUtilization)
        meanKVUtilization = Distribution.round(metrics.meanKVUtilization)
    }

    /// Pretty, key-sorted JSON: byte-identical for identical runs.
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? encoder.encode(self)) ?? Data()
    }
}
