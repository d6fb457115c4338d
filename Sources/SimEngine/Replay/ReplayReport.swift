public import Foundation

/// vLLM against the simulator on one run: TTFT, TPOT and E2E statistics with diff %, throughput, duration,
/// and the settings the replay used with their sources.
public struct ReplayReport: Sendable, Hashable, Codable {
    public var run: String
    public var vllmVersion: String?
    public var measuredSource: String
    public var settings: [ReplaySetting]
    public var vllm: RunFigures
    public var simulator: RunFigures
    /// Measured requests the simulator did not finish (rejected as too long for its KV cache or context).
    public var unmatched: Int
    public var rejected: Int
    public var preemptions: Int
    public var prefixCacheQueries: Int
    public var prefixCacheHits: Int
    /// Tokens of preempted requests at resumption, and those still cached.
    public var resumedPrefixCacheQueries: Int
    public var resumedPrefixCacheHits: Int
    /// (simulator − vLLM) / vLLM × 100, by `metric.statistic` (`ttft.mean`, `tpot.p90`, `throughput.requests`, …).
    public var diffPercent: [String: Double]

    init(run: String, vllmVersion: String?, measuredSource: String, settings: [ReplaySetting], vllm: RunFigures, simulator: RunFigures,
         unmatched: Int, rejected: Int, metrics: EngineMetrics) {
        self.run = run
        self.vllmVersion = vllmVersion
        self.measuredSource = measuredSource
        self.settings = settings
        self.vllm = vllm
        self.simulator = simulator
        self.unmatched = unmatched
        self.rejected = rejected
        preemptions = metrics.preemptions
        prefixCacheQueries = metrics.prefixCacheQueries
        prefixCacheHits = metrics.prefixCacheHits
        resumedPrefixCacheQueries = metrics.resumedPrefixCacheQueries
        resumedPrefixCacheHits = metrics.resumedPrefixCacheHits
        var diff: [String: Double] = [:]
        for (name, measured, simulated) in Self.latencies(vllm, simulator) {
            for ((label, v), (_, s)) in zip(measured.labeled, simulated.labeled) {
                diff["\(name).\(label.lowercased())"] = Self.percent(s, v)
            }
        }
        diff["throughput.requests"] = Self.percent(simulator.requestsPerSecond, vllm.requestsPerSecond)
        diff["throughput.output_tokens"] = Self.percent(simulator.outputTokensPerSecond, vllm.outputTokensPerSecond)
        diff["duration"] = Self.percent(simulator.durationSeconds, vllm.durationSeconds)
        diffPercent = diff
    }

    static func latencies(_ a: RunFigures, _ b: RunFigures) -> [(String, LatencyStatistics, LatencyStatistics)] {
        [("ttft", a.ttftMs, b.ttftMs), ("tpot", a.tpotMs, b.tpotMs), ("e2e", a.e2eMs, b.e2eMs)]
    }

    static func percent(_ simulated: Double, _ measured: Double) -> Double {
        measured != 0 && measured.isFinite && simulated.isFinite ? ((simulated - measured) / measured * 1e6).rounded() / 1e4 : .nan
    }

    /// The report as a table (LLMServingSim's `summary.txt` layout, plus throughput, duration and settings).
    public func text() -> String {
        func cell(_ value: Double, _ decimals: Int = 1) -> String {
            let text = value.isFinite ? String(format: "%.\(decimals)f", value) : "n/a"
            return String(repeating: " ", count: max(1, 12 - text.count)) + text
        }
        func diffCell(_ key: String) -> String {
            let value = diffPercent[key] ?? .nan
            let text = value.isFinite ? String(format: "%+.1f%%", value) : "n/a"
            return String(repeating: " ", count: max(1, 10 - text.count)) + text
        }
        func row(_ label: String, _ v: Double, _ s: Double, _ key: String, decimals: Int = 1) -> String {
            label.padding(toLength: 25, withPad: " ", startingAt: 0) + cell(v, decimals) + cell(s, decimals) + diffCell(key)
        }
        var lines = ["replay of \(run) (vLLM \(vllmVersion ?? "?"), \(vllm.requests) requests measured in \(measuredSource))", "settings:"]
        let width = (settings.map(\.name.count).max() ?? 0) + 2
        for setting in settings {
            lines.append("  " + setting.name.padding(toLength: width, withPad: " ", startingAt: 0)
                         + setting.value.padding(toLength: max(12, setting.value.count + 2), withPad: " ", startingAt: 0) + setting.source)
        }
        lines.append("")
        let header = "Metric".padding(toLength: 25, withPad: " ", startingAt: 0) + "        vLLM         Sim     Diff%"
        lines.append(header)
        lines.append(String(repeating: "-", count: header.count))
        for (name, measured, simulated) in Self.latencies(vllm, simulator) {
            let title = name == "e2e" ? "E2E" : name.uppercased()
            for ((label, v), (_, s)) in zip(measured.labeled, simulated.labeled) {
                lines.append(row("\(title) \(label) (ms)", v, s, "\(name).\(label.lowercased())"))
            }
            lines.append("")
        }
        lines.append(row("Throughput (req/s)", vllm.requestsPerSecond, simulator.requestsPerSecond, "throughput.requests", decimals: 3))
        lines.append(row("Output tokens/s", vllm.outputTokensPerSecond, simulator.outputTokensPerSecond, "throughput.output_tokens"))
        lines.append(row("Duration (s)", vllm.durationSeconds, simulator.durationSeconds, "duration", decimals: 2))
        lines.append("")
        let rate = prefixCacheQueries > 0 ? String(format: "%.2f %%", Double(prefixCacheHits) / Double(prefixCacheQueries) * 100) : "off"
        lines.append("simulator: \(preemptions) preemptions; prefix cache \(rate) (\(prefixCacheHits) of \(prefixCacheQueries) prompt tokens); resumed requests found \(resumedPrefixCacheHits) of \(resumedPrefixCacheQueries) tokens cached")
        if unmatched > 0 { lines.append("warning: \(unmatched) measured request(s) did not finish in the simulator (\(rejected) rejected); they are left out of its figures") }
        return lines.joined(separator: "\n")
    }

    /// Pretty, key-sorted JSON.
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return (try? encoder.encode(self)) ?? Data()
    }
}
