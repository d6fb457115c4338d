import Foundation

/// Latency targets that must hold at one percentile of the finished requests (p90 by default).
public struct PercentileSLO: Sendable, Hashable, Codable {
    /// Largest acceptable time to first token at the percentile, ms; nil means no target.
    public var ttftMs: Double?
    /// Largest acceptable time per output token at the percentile, ms.
    public var tpotMs: Double?
    /// Largest acceptable end-to-end latency at the percentile, ms.
    public var e2eMs: Double?
    /// The percentile, in (0, 100].
    public var percentile: Double

    public init(ttftMs: Double? = nil, tpotMs: Double? = nil, e2eMs: Double? = nil, percentile: Double = 90) throws(SimEngineError) {
        for (name, value) in [("slo-ttft-ms", ttftMs), ("slo-tpot-ms", tpotMs), ("slo-e2e-ms", e2eMs)] {
            if let value, !(value > 0 && value.isFinite) { throw SimEngineError("must be a positive number of ms, found \(value)", location: name) }
        }
        guard ttftMs != nil || tpotMs != nil || e2eMs != nil else {
            throw SimEngineError("a search needs at least one target: --slo-ttft-ms, --slo-tpot-ms or --slo-e2e-ms", location: "slo")
        }
        guard percentile > 0, percentile <= 100 else { throw SimEngineError("must be in (0, 100], found \(percentile)", location: "percentile") }
        self.ttftMs = ttftMs
        self.tpotMs = tpotMs
        self.e2eMs = e2eMs
        self.percentile = percentile
    }

    /// Parses `90`, `p90` or `99.9`.
    public static func percentile(parsing text: String) throws(SimEngineError) -> Double {
        let digits = text.lowercased().hasPrefix("p") ? String(text.dropFirst()) : text
        guard let value = Double(digits), value > 0, value <= 100 else {
            throw SimEngineError("expected a percentile like p90, 90 or 99.9, found \"\(text)\"", location: "percentile")
        }
        return value
    }

    /// `p90`, `p99.9`.
    public var percentileLabel: String { "p" + RateGrid.trimmed(percentile) }

    /// The latencies at the percentile, ms, and whether every target holds.
    public func check(_ metrics: EngineMetrics) -> LatencyAtPercentile {
        let q = percentile / 100
        func ms(_ histogram: LatencyHistogram) -> Double { RunSummary.Distribution.round(Double(histogram.quantile(q)) / 1e6) }
        let observed = LatencyAtPercentile(ttftMs: ms(metrics.ttft), tpotMs: ms(metrics.tpot), e2eMs: ms(metrics.e2e), meanTPOTMs: RunSummary.Distribution.round(metrics.tpot.mean / 1e6), passed: false)
        var result = observed
        result.passed = metrics.completed > 0
            && ttftMs.map { observed.ttftMs <= $0 } ?? true
            && tpotMs.map { observed.tpotMs <= $0 } ?? true
            && e2eMs.map { observed.e2eMs <= $0 } ?? true
        return result
    }

    /// `TTFT p90 ≤ 500 ms, TPOT p90 ≤ 50 ms`.
    public var description: String {
        [("TTFT", ttftMs), ("TPOT", tpotMs), ("E2E", e2eMs)].compactMap { name, value in
            value.map { "\(name) \(percentileLabel) ≤ \(RateGrid.trimmed($0)) ms" }
        }.joined(separator: ", ")
    }
}

/// Latencies of one run at the SLO's percentile, ms, and whether the SLO held.
public struct LatencyAtPercentile: Sendable, Hashable, Codable {
    public var ttftMs: Double
    public var tpotMs: Double
    public var e2eMs: Double
    /// Mean TPOT, ms (its inverse is the tokens per second a user sees).
    public var meanTPOTMs: Double
    public var passed: Bool
}
