/// The time of one iteration and whether any lookup behind it went outside the measured or tabulated points.
public struct IterationTiming: Sendable, Hashable {
    public var ns: Double
    public var extrapolated: Bool

    public init(ns: Double, extrapolated: Bool) {
        self.ns = ns
        self.extrapolated = extrapolated
    }
}

/// Where an engine's iteration times come from: our latency table, an LLMServingSim bundle or a Vidur profile.
/// The engine asks only this, so it never knows which format a number came from.
public protocol LatencySource: Sendable {
    var model: ModelConfig { get }
    /// Our GPU name (`hardware/gpus.json`).
    var hardware: String { get }
    var tp: Int { get }
    /// What the numbers are, for reports (`LLMServingSim bundle …/RTX4090/…/bf16 tp1`).
    var provenance: String { get }
    /// Things a user should be told once about how the source is used.
    var notes: [String] { get }
    /// One iteration of `sequences`, each (new tokens, cached tokens), of which `emitting` emit a token (and are
    /// sampled: the sampler is in the time).
    func iteration(sequences: [(input: Int, kvCache: Int)], emitting: Int) -> IterationTiming
    /// The same iteration, layer by layer, for display.
    func breakdown(sequences: [(input: Int, kvCache: Int)], emitting: Int) -> IterationBreakdown
}

extension IterationCost: LatencySource {
    public var model: ModelConfig { table.model }
    public var hardware: String { table.hardware }
    public var tp: Int { table.tp }
    public var notes: [String] { [] }

    /// Extrapolated when the batch's tokens pass the rows of the block's dense layers.
    public func iteration(sequences: [(input: Int, kvCache: Int)], emitting: Int) -> IterationTiming {
        var tokens = 0
        for sequence in sequences { tokens += sequence.input }
        return IterationTiming(ns: ns(sequences: sequences, emitting: emitting), extrapolated: tokens > maxTabulatedTokens)
    }
}
