public import Foundation
import PerfKit

/// A search as a user writes it (lists as text, like `1,2,4` or `1..8`), for the fronts to fill in and check in one place.
public struct SearchOptions: Sendable, Hashable {
    public var models = "meta-llama/Llama-3.1-8B-Instruct"
    public var hardware = "A100"
    public var tp = "1"
    public var replicas = "1"
    /// Total GPUs per deployment (replicas = total ÷ tp); nil to use `replicas`.
    public var gpus: String?
    public var schedulers = "vllm"
    public var maxNumSeqs = "256"
    public var maxNumBatchedTokens = "8192"
    public var router: RouterPolicy = .roundRobin
    public var gpuMemoryUtilization = 0.9
    /// The engine profile (`vllm-0.19`), and the host time per step replacing its own, ms.
    public var engine = EngineProfile.vllm019.name
    public var cpuOverheadMs: Double?
    /// A trace file; nil for the synthetic workload below.
    public var trace: String?
    public var traceFormat: TraceFormat?
    public var requests = 1000
    public var inputLength = "lognormal:512:0.5"
    public var outputLength = "lognormal:256:0.5"
    /// Coefficient of variation of the gaps between arrivals (1: Poisson).
    public var burstiness = 1.0
    public var seed: UInt64 = 0
    public var seeds = 3
    /// Shortest span of arrivals of one probe, s.
    public var minSpanSeconds = 30.0
    public var sloTTFTMs: Double?
    public var sloTPOTMs: Double?
    public var sloE2EMs: Double?
    public var percentile = "p90"
    /// Relative step of the rate grid, %.
    public var rateResolutionPercent = 2.0
    public var maxRate = 100_000.0

    public init() {}

    /// Checks every value and builds the search; the error names the option.
    public func search(loader: EngineLoader) throws(SimEngineError) -> CapacitySearch {
        guard seeds >= 1, seeds <= 100 else { throw SimEngineError("must be between 1 and 100, found \(seeds)", location: "seeds") }
        let kinds = try schedulers.split(separator: ",").map { name throws(SimEngineError) in
            guard let kind = SchedulerKind(rawValue: String(name).lowercased()) else {
                throw SimEngineError("unknown scheduler \"\(name)\"; accepted: vllm, orca, static", location: "scheduler")
            }
            return kind
        }
        let grid = try SearchGrid(
            models: try Self.names(models, "model") { id throws(PerfKitError) in try loader.models.model(id).id },
            hardware: try Self.names(hardware, "hardware") { name throws(PerfKitError) in try loader.gpus.gpu(name).name },
            tp: SearchGrid.integers(tp, name: "tp"), replicas: SearchGrid.integers(replicas, name: "replicas"), schedulers: kinds,
            maxNumSeqs: SearchGrid.integers(maxNumSeqs, name: "max-num-seqs"),
            maxNumBatchedTokens: SearchGrid.integers(maxNumBatchedTokens, name: "max-num-batched-tokens"),
            gpus: try gpus.map { text throws(SimEngineError) in try SearchGrid.integers(text, name: "gpus") })
        let source: SearchWorkload.Source
        if let trace {
            source = .trace(name: trace, requests: try TraceReader.load(URL(fileURLWithPath: trace), format: traceFormat))
        } else {
            // Built once to check the values; each probe builds its own at its rate.
            let shape = try SyntheticWorkload(rate: 1, count: requests, arrivals: burstiness == 1 ? .poisson : .gamma(cv: burstiness),
                                              inputLength: try LengthDistribution(parsing: inputLength),
                                              outputLength: try LengthDistribution(parsing: outputLength))
            source = .synthetic(inputLength: shape.inputLength, outputLength: shape.outputLength, arrivals: shape.arrivals, requests: shape.count)
        }
        let workload = try SearchWorkload(source: source, seeds: (0..<UInt64(seeds)).map { seed &+ $0 }, minSpanSeconds: minSpanSeconds)
        let slo = try PercentileSLO(ttftMs: sloTTFTMs, tpotMs: sloTPOTMs, e2eMs: sloE2EMs, percentile: PercentileSLO.percentile(parsing: percentile))
        var profile = try EngineProfile.named(engine)
        if let cpuOverheadMs {
            guard cpuOverheadMs >= 0, cpuOverheadMs <= 10_000 else {
                throw SimEngineError("must be between 0 and 10000 ms, found \(cpuOverheadMs)", location: "cpu-overhead-ms")
            }
            profile = profile.withStepHost(ns: Int64((cpuOverheadMs * 1e6).rounded()))
        }
        let settings = SchedulerConfig(gpuMemoryUtilization: gpuMemoryUtilization, engine: profile)
        try settings.validate()
        let rates = try RateGrid(resolution: rateResolutionPercent / 100, maxRate: maxRate)
        return CapacitySearch(grid: grid, workload: workload, slo: slo, rates: rates, scheduler: settings, router: router)
    }

    /// A comma-separated list of names, each checked (and made canonical) by `resolve`.
    private static func names(_ text: String, _ option: String, resolve: (String) throws(PerfKitError) -> String) throws(SimEngineError) -> [String] {
        try text.split(separator: ",").map { name throws(SimEngineError) in
            do throws(PerfKitError) { return try resolve(String(name)) } catch { throw SimEngineError(error.message, location: option) }
        }
    }
}
