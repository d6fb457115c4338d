import Foundation

/// One probe of a configuration: a run of the workload at one rate and its latencies at the SLO's percentile.
public struct ProbePoint: Sendable, Hashable, Codable {
    /// Offered rate, requests/s.
    public var rate: Double
    public var latency: LatencyAtPercentile
    /// Completed requests per second over the run.
    public var requestsPerSecond: Double
    public var outputTokensPerSecond: Double
}

/// What the search found for one configuration: its capacity under the SLO, or why it was skipped.
public struct ConfigurationResult: Sendable, Hashable, Codable {
    /// Position in the grid's enumeration.
    public var index: Int
    public var config: DeploymentConfig
    /// Why the configuration was not searched (tp does not divide the heads, the model does not fit, …); nil when it was.
    public var skipped: String?
    /// Highest rate meeting the SLO, requests/s: the median over seeds; 0 when no rate in the grid meets it.
    public var capacityRPS: Double
    /// The highest passing rate of each seed, requests/s, in seed order.
    public var capacityBySeed: [Double]
    /// True when the capacity is the grid's highest rate (the configuration may sustain more).
    public var reachedMaxRate: Bool
    /// The run at the capacity of the median seed.
    public var atCapacity: ProbePoint?
    /// Full runs of the median seed at fractions of its capacity (`CapacitySearch.curveFractions`), by rate.
    public var curve: [ProbePoint]

    /// A configuration that could not be searched.
    public static func skipped(index: Int, config: DeploymentConfig, reason: String) -> ConfigurationResult {
        ConfigurationResult(index: index, config: config, skipped: reason, capacityRPS: 0, capacityBySeed: [], reachedMaxRate: false, atCapacity: nil, curve: [])
    }

    /// Half the range of the per-seed capacities over their median, %: how much the answer moves with the seed.
    public var spreadPercent: Double? {
        guard capacityBySeed.count > 1, capacityRPS > 0, let low = capacityBySeed.min(), let high = capacityBySeed.max() else { return nil }
        return RunSummary.Distribution.round((high - low) / 2 / capacityRPS * 100)
    }
}
