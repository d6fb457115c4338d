/// Writes a measured profile as rows of our table (`perfkit import`): fused layers split so that the parts sum to
/// the measured time exactly (`qkv_proj` by output width, `gate_up_proj` in halves), `layernorm` as both block
/// norms, `lm_head` + `sampler` as our `lm_head`, and the bundle's pure-prefill and single-decode attention points
/// as our per-sequence attention rows. Vidur's `add` joins `post_layernorm` (vLLM fuses the residual add into the
/// norm); attention, final norm and lm_head, which a Vidur folder lacks, are copied from our table.
public enum ProfileImporter {
    /// Rows of `profile` for `model` on `hardware` (our names), at the profile's tp; a profile measured on another GPU
    /// is refused, as `simulate` refuses it.
    public static func rows(_ profile: MeasuredProfile, model: ModelConfig, hardware: String, fallback: LatencyTable? = nil) throws(PerfKitError) -> [LatencyRow] {
        guard ProfileNames.sameGPU(profile.hardware, hardware) else {
            let message = "the profile was measured on \(profile.hardware), not \(hardware): pass --hardware \(profile.hardware)"
            if let meta = profile.meta { throw PerfKitError(message, file: meta.file, line: meta.yaml.line("hardware")) }
            throw PerfKitError(message, location: profile.source)
        }
        var rows: [LatencyRow] = []
        func add(_ layer: LayerName, _ input: Int, _ kv: Int, _ ns: Int64) {
            rows.append(LatencyRow(hardware: hardware, model: model.id, layerName: layer.rawValue, input: input, kvCache: kv, latencyNs: max(1, ns), tp: profile.tp))
        }
        func layer(_ name: String, _ layers: [MeasuredProfile.Layer]) throws(PerfKitError) -> MeasuredProfile.Layer {
            guard let found = layers.first(where: { $0.name == name }) else {
                throw PerfKitError("lacks layer \"\(name)\", which \(model.id)'s rows need", location: profile.source)
            }
            return found
        }
        func each(_ found: MeasuredProfile.Layer, _ body: (Int, Int64) -> Void) {
            for (key, ns) in zip(found.curve.keys, found.curve.valuesNs) { body(key, Int64(ns)) }
        }
        let qWidth = Int64(model.numAttentionHeads * model.headDim)
        let kvWidth = Int64(model.numKeyValueHeads * model.headDim)
        func splitQKV(_ key: Int, _ ns: Int64) {
            let q = ns * qWidth / (qWidth + 2 * kvWidth)
            let k = ns * kvWidth / (qWidth + 2 * kvWidth)
            add(.qProj, key, 0, q); add(.kProj, key, 0, k); add(.vProj, key, 0, ns - q - k)
        }
        func splitGateUp(_ key: Int, _ ns: Int64) {
            add(.gateProj, key, 0, ns / 2); add(.upProj, key, 0, ns - ns / 2)
        }
        switch profile.format {
        case .lssBundle:
            guard BundleCatalog.of(model.family) != nil else {
                throw PerfKitError("LLMServingSim has no layer catalog for \(model.family.rawValue) models", location: profile.source)
            }
            each(try layer("embedding", profile.dense)) { add(.embedding, $0, 0, $1) }
            each(try layer("layernorm", profile.dense)) { add(.inputLayernorm, $0, 0, $1); add(.postLayernorm, $0, 0, $1) }
            each(try layer("qkv_proj", profile.dense), splitQKV)
            if model.family == .qwen3 {
                each(try layer("qk_norm", profile.dense)) { key, ns in
                    let q = ns * qWidth / (qWidth + kvWidth)
                    add(.qNorm, key, 0, q); add(.kNorm, key, 0, ns - q)
                }
            }
            each(try layer("rotary_emb", profile.dense)) { add(.rope, $0, 0, $1) }
            each(try layer("o_proj", profile.dense)) { add(.oProj, $0, 0, $1) }
            each(try layer("gate_up_proj", profile.dense), splitGateUp)
            each(try layer("act_fn", profile.dense)) { add(.actFn, $0, 0, $1) }
            each(try layer("down_proj", profile.dense)) { add(.downProj, $0, 0, $1) }
            each(try layer("final_layernorm", profile.dense)) { add(.finalLayernorm, $0, 0, $1) }
            let lmHead = try layer("lm_head", profile.perSequence).curve
            let sampler = try layer("sampler", profile.perSequence).curve
            for key in Set(lmHead.keys + sampler.keys).sorted() {
                add(.lmHead, key, 0, Int64(lmHead.ns(at: key) + sampler.ns(at: key)))
            }
            guard let grid = profile.attention else { throw PerfKitError("lacks attention.csv", location: profile.source) }
            for point in grid.points where point.decodeCount == 0 && point.prefillChunk > 0 {
                add(.attn, point.prefillChunk, point.kvPrefill, Int64(point.ns))
            }
            for point in grid.points where point.prefillChunk == 0 && point.decodeCount == 1 {
                add(.attn, 1, point.kvDecode, Int64(point.ns))
            }
        case .vidur:
            guard model.family == .llama else {
                throw PerfKitError("Vidur's operators map onto Llama-family layers; \(model.id) is \(model.family.rawValue)", location: profile.source)
            }
            guard let fallback else { throw PerfKitError("a Vidur import needs our table for attention, final norm and lm_head", location: profile.source) }
            each(try layer("emb", profile.dense)) { add(.embedding, $0, 0, $1) }
            each(try layer("input_layernorm", profile.dense)) { add(.inputLayernorm, $0, 0, $1) }
            let residual = try layer("add", profile.dense).curve
            each(try layer("post_attention_layernorm", profile.dense)) { add(.postLayernorm, $0, 0, $1 + Int64(residual.ns(at: $0))) }
            each(try layer("attn_pre_proj", profile.dense), splitQKV)
            each(try layer("attn_rope", profile.dense)) { add(.rope, $0, 0, $1) }
            each(try layer("attn_post_proj", profile.dense)) { add(.oProj, $0, 0, $1) }
            each(try layer("mlp_up_proj", profile.dense), splitGateUp)
            each(try layer("mlp_act", profile.dense)) { add(.actFn, $0, 0, $1) }
            each(try layer("mlp_down_proj", profile.dense)) { add(.downProj, $0, 0, $1) }
            let copied: Set<String> = [LayerName.attn.rawValue, LayerName.finalLayernorm.rawValue, LayerName.lmHead.rawValue]
            let fromTable = fallback.rows.filter { $0.model == model.id && $0.tp == profile.tp && copied.contains($0.layerName) }
            guard !fromTable.isEmpty else {
                throw PerfKitError("our table has no attn, final_layernorm or lm_head rows for \(model.id) at tp=\(profile.tp)", location: fallback.source)
            }
            for row in fromTable {
                var copy = row
                copy.hardware = hardware
                copy.line = 0
                copy.extra = []
                rows.append(copy)
            }
        }
        return rows
    }
}
