/// One request of a real run and of its replay: lengths and the three latencies, ms (TPOT nil for one output token).
public struct MeasuredRequest: Sendable, Hashable, Codable {
    /// Index of the request in the trace (file order).
    public var index: Int
    public var inputTokens: Int
    public var outputTokens: Int
    /// Arrival (vLLM: `queued_ts` or `arrival_time`) to first token.
    public var ttftMs: Double
    /// (last − first token) / (output − 1).
    public var tpotMs: Double?
    /// Arrival to last token.
    public var e2eMs: Double
    /// When it arrived and when its last token came, s, on the run's own clock.
    public var arrivalSeconds: Double
    public var endSeconds: Double

    public init(index: Int, inputTokens: Int, outputTokens: Int, arrivalSeconds: Double, firstTokenSeconds: Double, lastTokenSeconds: Double) {
        self.index = index
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.arrivalSeconds = arrivalSeconds
        endSeconds = lastTokenSeconds
        ttftMs = (firstTokenSeconds - arrivalSeconds) * 1000
        tpotMs = outputTokens > 1 ? (lastTokenSeconds - firstTokenSeconds) / Double(outputTokens - 1) * 1000 : nil
        e2eMs = (lastTokenSeconds - arrivalSeconds) * 1000
    }
}

/// The latencies, throughput and duration of a set of requests.
public struct RunFigures: Sendable, Hashable, Codable {
    public var requests: Int
    public var ttftMs: LatencyStatistics
    public var tpotMs: LatencyStatistics
    public var e2eMs: LatencyStatistics
    /// First arrival to last token, s.
    public var durationSeconds: Double
    public var requestsPerSecond: Double
    public var outputTokensPerSecond: Double

    public init(_ requests: [MeasuredRequest]) {
        self.requests = requests.count
        ttftMs = LatencyStatistics(requests.map(\.ttftMs))
        tpotMs = LatencyStatistics(requests.compactMap(\.tpotMs))
        e2eMs = LatencyStatistics(requests.map(\.e2eMs))
        let start = requests.map(\.arrivalSeconds).min() ?? 0
        let end = requests.map(\.endSeconds).max() ?? 0
        durationSeconds = end - start
        requestsPerSecond = durationSeconds > 0 ? Double(requests.count) / durationSeconds : 0
        outputTokensPerSecond = durationSeconds > 0 ? Double(requests.reduce(0) { $0 + $1.outputTokens }) / durationSeconds : 0
    }
}
