/// The options of a REPL `search` or `sweep` line, as given (`--name value`); what is not given comes from the session.
public struct ReplSearchOptions: Sendable, Equatable {
    /// Option name without dashes → its value, e.g. `tp` → `1,2,4`.
    public var values: [String: String]

    public init(values: [String: String] = [:]) { self.values = values }

    /// Options `search` accepts: the grid, the workload and the targets, named as in `simulate search`.
    public static let searchNames = ["hardware", "tp", "replicas", "gpus", "scheduler", "max-num-seqs", "max-num-batched-tokens", "requests", "input-len",
                                     "output-len", "burstiness", "seed", "seeds", "min-span-s", "slo-ttft-ms", "slo-tpot-ms", "slo-e2e-ms", "percentile",
                                     "target-rate", "rank-by"]
    /// Options `sweep` accepts: the workload.
    public static let sweepNames = ["requests", "input-len", "output-len", "burstiness", "seed", "min-span-s"]
}
