/// Mean and percentiles of a list of latencies, as LLMServingSim's validation computes them
/// (`bench/core/plots.py`: percentiles by linear interpolation between order statistics).
public struct LatencyStatistics: Sendable, Hashable, Codable {
    public var count: Int
    public var mean: Double
    public var median: Double
    public var p90: Double
    public var p95: Double
    public var p99: Double

    public init(_ values: [Double]) {
        let sorted = values.sorted()
        count = sorted.count
        func percentile(_ q: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            let position = q / 100 * Double(sorted.count - 1)
            let low = Int(position)
            let high = min(low + 1, sorted.count - 1)
            let fraction = position - Double(low)
            return sorted[low] * (1 - fraction) + sorted[high] * fraction
        }
        mean = sorted.isEmpty ? .nan : sorted.reduce(0, +) / Double(sorted.count)
        median = percentile(50)
        p90 = percentile(90)
        p95 = percentile(95)
        p99 = percentile(99)
    }

    /// The statistics in report order, with their labels.
    public var labeled: [(label: String, value: Double)] {
        [("Mean", mean), ("Median", median), ("P90", p90), ("P95", p95), ("P99", p99)]
    }
}
