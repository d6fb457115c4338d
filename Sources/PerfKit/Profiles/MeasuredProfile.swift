/// Measured latencies of one model on one GPU at one tp, from an LLMServingSim bundle or a Vidur profile, in one
/// shape: per-layer curves over batch tokens, per-sequence curves, and (bundles) the 4-D attention grid. Times in ns.
public struct MeasuredProfile: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case lssBundle = "lss-bundle"
        case vidur
    }

    /// One measured layer with its file and the line of each key's row (the first, for averaged repeats).
    public struct Layer: Sendable {
        public var name: String
        public var curve: MeasuredCurve
        public var file: String
        public var lines: [Int]
        public var line: Int { lines.first ?? 0 }
    }

    public var format: Format
    /// The GPU and model as the source names them (`RTX4090`, `meta-llama/Llama-3.1-8B`).
    public var hardware: String
    public var modelID: String
    public var tp: Int
    /// The folder read.
    public var source: String
    /// Layers keyed by batch tokens (bundle `dense.csv`, Vidur `mlp.csv` operators), in file order.
    public var dense: [Layer]
    /// Layers keyed by sequences in the batch (bundle `per_sequence.csv`: `lm_head`, `sampler`).
    public var perSequence: [Layer]
    /// The bundle's attention grid; nil for Vidur folders.
    public var attention: AttentionGrid?
    /// The bundle's meta.yaml; nil for Vidur folders.
    public var meta: BundleMeta?
    /// Skew alpha applied to decode-length spread (LLMServingSim's `alpha_default` for this tp); 0 when none.
    public var skewAlpha: Double
    /// What a user should know about how this profile is used, said once.
    public var notes: [String]

    public func denseLayer(_ name: String) -> Layer? { dense.first { $0.name == name } }
    public func perSequenceLayer(_ name: String) -> Layer? { perSequence.first { $0.name == name } }
}
