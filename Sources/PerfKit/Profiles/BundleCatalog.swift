/// The layers of one forward pass as LLMServingSim's profiler catalogs them (profiler/models/llama.yaml and
/// qwen3.yaml in casys-kaist/LLMServingSim): a prologue, a block repeated num_hidden_layers times, and a head.
public struct BundleCatalog: Sendable, Hashable {
    /// Dense layers (keyed by batch tokens) with the times each runs: once before the blocks, per block, after them.
    public let prologue: [String]
    public let block: [(name: String, calls: Int)]
    public let head: [String]
    /// Per-sequence layers (keyed by sequences in the batch).
    public let perSequence: [String]

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.prologue == rhs.prologue && lhs.head == rhs.head && lhs.perSequence == rhs.perSequence
            && lhs.block.map(\.name) == rhs.block.map(\.name) && lhs.block.map(\.calls) == rhs.block.map(\.calls)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(block.map(\.name)) }

    /// Every dense layer name, in the order the bundle's `dense.csv` lists them.
    public var denseLayers: [String] { (prologue + block.map(\.name) + head).sorted() }

    /// The catalog of `family`, or nil when LLMServingSim has none for it.
    public static func of(_ family: ModelFamily) -> BundleCatalog? {
        switch family {
        case .llama:
            BundleCatalog(
                prologue: ["embedding"],
                block: [("layernorm", 2), ("qkv_proj", 1), ("rotary_emb", 1), ("o_proj", 1), ("gate_up_proj", 1), ("act_fn", 1), ("down_proj", 1)],
                head: ["final_layernorm"], perSequence: ["lm_head", "sampler"])
        case .qwen3:
            BundleCatalog(
                prologue: ["embedding"],
                block: [("layernorm", 2), ("qkv_proj", 1), ("qk_norm", 1), ("rotary_emb", 1), ("o_proj", 1), ("gate_up_proj", 1), ("act_fn", 1), ("down_proj", 1)],
                head: ["final_layernorm"], perSequence: ["lm_head", "sampler"])
        case .opt:
            nil
        }
    }
}
