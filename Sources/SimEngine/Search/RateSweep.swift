import Foundation

/// Latency percentiles of one configuration at each of a list of offered rates.
public enum RateSweep {
    /// One rate's run.
    public struct Point: Sendable, Hashable, Codable {
        /// Offered rate, requests/s.
        public var rate: Double
        public var ttftMs: RunSummary.Distribution
        public var tpotMs: RunSummary.Distribution
        public var e2eMs: RunSummary.Distribution
        public var requestsPerSecond: Double
        public var outputTokensPerSecond: Double
        public var rejected: Int
    }

    /// Runs `workload` (first seed) at each rate on a copy of `engine`; stops early when `interrupted` says so.
    public static func run(engine: ServingEngine, workload: SearchWorkload, rates: [Double], interrupted: () -> Bool = { false }) -> [Point] {
        var points: [Point] = []
        for rate in rates {
            if interrupted() { break }
            var copy = engine
            let outcome = SimulationRunner.run(engine: &copy, workload: workload.requests(rate: rate, seed: workload.seeds[0]))
            let summary = outcome.summary
            points.append(Point(rate: rate, ttftMs: summary.ttftMs, tpotMs: summary.tpotMs, e2eMs: summary.e2eMs,
                                requestsPerSecond: summary.requestsPerSecond, outputTokensPerSecond: summary.outputTokensPerSecond,
                                rejected: outcome.rejections.count))
        }
        return points
    }

    /// The rates `from`, `from + step`, … up to `through` (inclusive, within rounding).
    public static func rates(from: Double, through: Double, step: Double) throws(SimEngineError) -> [Double] {
        guard from > 0, through >= from, step > 0, from.isFinite, through.isFinite else {
            throw SimEngineError("a sweep needs 0 < FROM ≤ TO and STEP > 0, found \(from)..\(through) step \(step)", location: "sweep")
        }
        let count = Int(((through - from) / step + 1e-9).rounded(.down)) + 1
        guard count <= 1000 else { throw SimEngineError("\(count) rates is more than the 1000 a sweep runs; widen the step", location: "sweep") }
        return (0..<count).map { RunSummary.Distribution.round(from + Double($0) * step) }
    }

    /// An aligned table: rate, then p50/p90/p99 of TTFT, TPOT and E2E, then throughput.
    public static func table(_ points: [Point]) -> String {
        let header = ["req/s", "TTFT p50", "p90", "p99", "TPOT p50", "p90", "p99", "E2E p50", "p90", "p99", "done req/s", "out tok/s"]
        var rows: [[String]] = [header]
        func ms(_ value: Double) -> String { String(format: "%.1f", value) }
        for point in points {
            rows.append([RateGrid.trimmed(point.rate)] + [point.ttftMs, point.tpotMs, point.e2eMs].flatMap { [ms($0.p50), ms($0.p90), ms($0.p99)] }
                        + [String(format: "%.2f", point.requestsPerSecond), String(format: "%.0f", point.outputTokensPerSecond)]
                        + (point.rejected > 0 ? ["(\(point.rejected) rejected)"] : []))
        }
        let widths = header.indices.map { column in rows.map { $0.indices.contains(column) ? $0[column].count : 0 }.max()! }
        return rows.map { cells in
            cells.enumerated().map { column, cell in
                column < widths.count ? String(repeating: " ", count: widths[column] - cell.count) + cell : cell
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
