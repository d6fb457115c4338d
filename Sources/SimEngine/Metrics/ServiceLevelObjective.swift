/// Latency targets a request must meet to count toward goodput.
public struct ServiceLevelObjective: Sendable, Hashable, Codable {
    /// Largest acceptable time to first token, ms.
    public var ttftMs: Double
    /// Largest acceptable time per output token, ms.
    public var tpotMs: Double

    public init(ttftMs: Double = 1000, tpotMs: Double = 100) {
        self.ttftMs = ttftMs
        self.tpotMs = tpotMs
    }

    /// Checks that both targets are positive, finite numbers; the error names the flag.
    public func validate() throws(SimEngineError) {
        for (name, value) in [("slo-ttft-ms", ttftMs), ("slo-tpot-ms", tpotMs)] where !(value > 0 && value.isFinite) {
            throw SimEngineError("must be a positive number of ms, found \(value)", location: name)
        }
    }

    public func isMet(by record: RequestRecord) -> Bool {
        record.ttft.milliseconds <= ttftMs && record.tpot.milliseconds <= tpotMs
    }
}
