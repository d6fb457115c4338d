import Foundation

extension RunSummary {
    /// The summary as an aligned table a person reads: latencies in ms, throughput per second.
    public func textReport() -> String {
        func number(_ value: Double, _ decimals: Int = 2) -> String { String(format: "%.\(decimals)f", value) }
        func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(1, width - text.count)) + text }
        var lines: [String] = []
        lines.append("\(model) on \(hardware) tp=\(tp) × \(replicas) replica(s), \(scheduler.kind.rawValue) scheduler, \(router) router")
        lines.append("requests: \(completed) completed, \(rejected) rejected, \(cancelled) cancelled of \(submitted); duration \(number(durationSeconds, 3)) s")
        lines.append("latency (ms)".padding(toLength: 14, withPad: " ", startingAt: 0)
                     + ["mean", "p50", "p90", "p99", "max"].map { pad($0, 11) }.joined())
        for (name, distribution) in [("TTFT", ttftMs), ("TPOT", tpotMs), ("ITL", itlMs), ("E2E", e2eMs), ("queuing", queuingDelayMs)] {
            let values = [distribution.mean, distribution.p50, distribution.p90, distribution.p99, distribution.max]
            // With no request completed there is no latency to show, not a latency of 0; nor TPOT or ITL when every
            // output was one token (a real gap between tokens is never 0 ms).
            let shown = completed > 0 && (distribution.max > 0 || !["TPOT", "ITL"].contains(name))
            lines.append(name.padding(toLength: 14, withPad: " ", startingAt: 0) + values.map { pad(shown ? number($0) : "n/a", 11) }.joined())
        }
        lines.append("throughput: \(number(requestsPerSecond)) requests/s, \(number(outputTokensPerSecond, 1)) output tokens/s, \(number(totalTokensPerSecond, 1)) total tokens/s")
        lines.append("goodput (TTFT ≤ \(number(slo.ttftMs, 0)) ms, TPOT ≤ \(number(slo.tpotMs, 0)) ms): \(number(goodputRequestsPerSecond)) requests/s (\(number(sloAttainment * 100, 1)) % of completed)")
        lines.append("preemptions: \(preemptions); iterations: \(iterations); KV cache: peak \(number(peakKVUtilization * 100, 1)) %, mean \(number(meanKVUtilization * 100, 1)) % of \(kvBlocksPerReplica) blocks × \(scheduler.blockSize) tokens per replica")
        if scheduler.enablePrefixCaching && scheduler.kind != .static {
            lines.append("prefix cache: \(prefixCacheHits) of \(prefixCacheQueries) prompt tokens hit (\(number(prefixCacheHitRate * 100, 2)) %), resumed requests found \(resumedPrefixCacheHits) of \(resumedPrefixCacheQueries); engine \(scheduler.engine.name)")
        } else {
            lines.append("prefix cache: off; engine \(scheduler.engine.name)")
        }
        if extrapolatedIterations > 0 {
            lines.append("warning: \(extrapolatedIterations) iteration(s) went past the latency table's points; their times are extrapolated")
        }
        return lines.joined(separator: "\n")
    }
}
