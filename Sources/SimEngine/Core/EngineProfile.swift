/// A serving framework's own time per engine step, apart from the model's kernels (which the latency sources hold,
/// the sampler's included): host work per step and per sequence, and whether that host work overlaps the GPU (vLLM's
/// async scheduling). Sources of each preset: docs/SCHEDULER.md.
public struct EngineProfile: Sendable, Hashable, Codable {
    /// Preset name (`vllm-0.19`).
    public var name: String
    /// Host time of one step (schedule, prepare inputs, launch, process outputs), ns.
    public var stepHostNs: Int64
    /// Host time per sequence in the step, ns.
    public var sequenceHostNs: Int64
    /// Whether the host prepares step n + 1 while the GPU runs step n, so a step takes the longer of the two
    /// (vLLM ≥ 0.9 with async scheduling) instead of their sum.
    public var overlapsHost: Bool

    public init(name: String, stepHostNs: Int64, sequenceHostNs: Int64, overlapsHost: Bool) {
        self.name = name
        self.stepHostNs = stepHostNs
        self.sequenceHostNs = sequenceHostNs
        self.overlapsHost = overlapsHost
    }

    /// vLLM 0.19 (V1 engine, CUDA graphs, async scheduling on).
    public static let vllm019 = EngineProfile(
        name: "vllm-0.19", stepHostNs: 1_000_000, sequenceHostNs: 10_000, overlapsHost: true)
    /// vLLM 0.6 (V0 engine, async output processing only): scheduling and input preparation stall the GPU.
    public static let vllm06 = EngineProfile(
        name: "vllm-0.6", stepHostNs: 2_500_000, sequenceHostNs: 25_000, overlapsHost: false)
    /// No framework time: the kernels alone, plus what `--cpu-overhead-ms` adds (the simulator's model before profiles).
    public static let none = EngineProfile(name: "none", stepHostNs: 0, sequenceHostNs: 0, overlapsHost: false)

    public static let presets: [EngineProfile] = [.vllm019, .vllm06, .none]

    /// The preset called `name`; the error lists the presets.
    public static func named(_ name: String) throws(SimEngineError) -> EngineProfile {
        guard let profile = presets.first(where: { $0.name == name }) else {
            throw SimEngineError("unknown engine \"\(name)\"; use one of \(presets.map(\.name).joined(separator: ", "))", location: "engine")
        }
        return profile
    }

    /// This profile with the per-step host time replaced (`--cpu-overhead-ms`).
    public func withStepHost(ns: Int64) -> EngineProfile {
        var copy = self
        copy.stepHostNs = ns
        return copy
    }

    /// A step's wall time, ns, from its kernels' time `gpuNs` (the sampler's included) and `sequences` in the batch.
    @inlinable public func stepNs(gpuNs: Int64, sequences: Int) -> Int64 {
        let host = stepHostNs + sequenceHostNs * Int64(sequences)
        return overlapsHost ? max(gpuNs, host) : gpuNs + host
    }
}
