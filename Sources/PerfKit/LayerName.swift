/// One row kind of a latency table: a layer of LLMServingSim's perf model.
public enum LayerName: String, Sendable, CaseIterable, Hashable {
    case embedding
    case inputLayernorm = "input_layernorm"
    case qProj = "q_proj"
    case kProj = "k_proj"
    case vProj = "v_proj"
    case qNorm = "q_norm"
    case kNorm = "k_norm"
    case rope
    case attn
    case qkMatmul = "qk_matmul"
    case softmax
    case svMatmul = "sv_matmul"
    case oProj = "o_proj"
    case postLayernorm = "post_layernorm"
    case gateProj = "gate_proj"
    case actFn = "act_fn"
    case upProj = "up_proj"
    case downProj = "down_proj"
    case fc1
    case fc2
    case finalLayernorm = "final_layernorm"
    case lmHead = "lm_head"

    /// Attention layers are keyed per sequence (`input` = new tokens, `kv_cache` = cached tokens);
    /// all others by the batch's total tokens with `kv_cache` = 0.
    public var isAttention: Bool {
        switch self {
        case .attn, .qkMatmul, .softmax, .svMatmul: true
        default: false
        }
    }

    /// Where the layer runs in a forward pass.
    public var placement: LayerPlacement {
        switch self {
        case .embedding: .head
        case .finalLayernorm, .lmHead: .tail
        default: .block
        }
    }

    /// Dense index for array-backed lookups.
    public var index: Int { Self.indexByName[self]! }

    private static let indexByName: [LayerName: Int] = Dictionary(
        uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })

    /// The layers of a model of `family`, in forward order.
    public static func layers(of family: ModelFamily) -> [LayerName] {
        switch family {
        case .llama:
            [.embedding, .inputLayernorm, .qProj, .kProj, .vProj, .rope, .attn, .oProj,
             .postLayernorm, .gateProj, .actFn, .upProj, .downProj, .finalLayernorm, .lmHead]
        case .qwen3:
            [.embedding, .inputLayernorm, .qProj, .kProj, .vProj, .qNorm, .kNorm, .rope, .attn, .oProj,
             .postLayernorm, .gateProj, .actFn, .upProj, .downProj, .finalLayernorm, .lmHead]
        case .opt:
            [.embedding, .inputLayernorm, .qProj, .kProj, .vProj, .qkMatmul, .softmax, .svMatmul, .oProj,
             .postLayernorm, .fc1, .actFn, .fc2, .finalLayernorm, .lmHead]
        }
    }
}

/// Where a layer runs: once before the blocks, in every block, or once after them.
public enum LayerPlacement: Sendable {
    case head, block, tail
}
