/// The least time a measured layer can take on a GPU (the physical-floor rule for bundles and Vidur folders):
/// bundle and Vidur layers expressed as our layers' least work (`LayerWork.lowerBound`).
public enum ProfileFloor {
    /// Our layers that do the work of a bundle layer (`qkv_proj` = q + k + v), or nil when none models it (`sampler`).
    public static func layers(ofBundleLayer name: String) -> [LayerName]? {
        switch name {
        case "embedding": [.embedding]
        case "layernorm": [.inputLayernorm]
        case "qkv_proj": [.qProj, .kProj, .vProj]
        case "qk_norm": [.qNorm, .kNorm]
        case "rotary_emb": [.rope]
        case "o_proj": [.oProj]
        case "gate_up_proj": [.gateProj, .upProj]
        case "act_fn": [.actFn]
        case "down_proj": [.downProj]
        case "final_layernorm": [.finalLayernorm]
        case "lm_head": [.lmHead]
        default: nil
        }
    }

    /// Our layers that do the work of a Vidur operator, or nil (`add`).
    public static func layers(ofVidurOperator name: String) -> [LayerName]? {
        switch name {
        case "emb": [.embedding]
        case "input_layernorm": [.inputLayernorm]
        case "attn_pre_proj": [.qProj, .kProj, .vProj]
        case "attn_rope": [.rope]
        case "attn_post_proj": [.oProj]
        case "post_attention_layernorm": [.postLayernorm]
        case "mlp_up_proj": [.gateProj, .upProj]
        case "mlp_act": [.actFn]
        case "mlp_down_proj": [.downProj]
        default: nil
        }
    }

    /// The least work of `layers` of `model` at `tp` for `tokens`.
    public static func work(_ layers: [LayerName], model: ModelConfig, tp: Int, tokens: Int, kvCache: Int = 0) -> LayerWork {
        layers.reduce(LayerWork(flops: 0, bytes: 0)) { sum, layer in
            let work = LayerWork.lowerBound(layer: layer, model: model, tp: tp, input: max(tokens, 1), kvCache: kvCache)
            return LayerWork(flops: sum.flops + work.flops, bytes: sum.bytes + work.bytes)
        }
    }

    /// The least work of one 4-D attention point: the prefill chunk as one sequence over its cached tokens, plus
    /// each decode over its cached tokens.
    public static func attentionWork(_ point: AttentionGrid.Point, model: ModelConfig, tp: Int) -> LayerWork {
        var total = LayerWork(flops: 0, bytes: 0)
        if point.prefillChunk > 0 {
            total = LayerWork.lowerBound(layer: .attn, model: model, tp: tp, input: point.prefillChunk, kvCache: point.kvPrefill)
        }
        if point.decodeCount > 0 {
            let decode = LayerWork.lowerBound(layer: .attn, model: model, tp: tp, input: 1, kvCache: point.kvDecode)
            total.flops += Double(point.decodeCount) * decode.flops
            total.bytes += Double(point.decodeCount) * decode.bytes
        }
        return total
    }

    /// L2 cache per GPU, bytes (NVIDIA's architecture whitepapers and datasheets): data this small can be re-read
    /// from L2 faster than DRAM allows, so a row below the bandwidth floor but not the FLOP floor is a warning there.
    public static func l2Bytes(gpu: String) -> Double {
        let megabytes: [String: Double] = [
            "H100": 50, "A100": 40, "L40": 96, "RTX4090": 72, "RTX4080": 64, "A6000": 6, "A40": 6, "RTX3090": 6,
            "A10": 6, "V100": 6, "T4": 4, "RTXPRO6000": 128,
        ]
        return (megabytes[gpu] ?? 0) * 1_048_576
    }
}
