/// Times of the layers of LLMServingSim's table from the kernels vLLM runs for them. vLLM fuses q/k/v into one
/// `qkv_proj` GEMM, gate/up into one `gate_up_proj`, and q/k norms into one kernel; the table's split rows share
/// the fused kernel's time by their part of its width, so they sum to it.
extension GPUSpec {
    /// The modelled time of `layer` for `input` tokens over `kvCache` cached ones, ns: never below the layer's
    /// physical floor (FLOPs ÷ peak FLOP/s, unavoidable bytes ÷ peak bandwidth).
    public func modelledNs(layer: LayerName, model: ModelConfig, tp: Int, input: Int, kvCache: Int) -> Double {
        let floor = floorNs(LayerWork.lowerBound(layer: layer, model: model, tp: tp, input: input, kvCache: kvCache))
        return max(kernelNs(layer: layer, model: model, tp: tp, input: input, kvCache: kvCache), floor)
    }

    func kernelNs(layer: LayerName, model: ModelConfig, tp: Int, input: Int, kvCache: Int) -> Double {
        // The catalog fills every class (KernelDerivation); a spec built by hand without them models nothing.
        guard let kernels, let gemm = kernels.gemm, let attention = kernels.attention else { return 0 }
        let shard = ModelShard(model: model, tp: tp)
        let n = Double(input), b = shard.bytesPerElement, h = shard.hidden
        let qWidth = shard.queryWidth, kvWidth = shard.kvWidth, mlp = shard.intermediate
        func linear(_ outputs: Double, _ inputs: Double) -> Double {
            gemm.ns(tokens: n, n: outputs, k: inputs, bytesPerElement: b, gpu: self)
        }
        func elementwise(_ kind: ElementwiseKind) -> Double {
            let bytes = LayerWork(layer: layer, model: model, tp: tp, input: input, kvCache: kvCache).bytes
            return kernels.elementwise[kind].map { $0.ns(bytes: bytes, gpu: self) } ?? 0
        }
        let qkv = qWidth + 2 * kvWidth
        // One sequence as a batch of its own: a decode pays the split-KV floor, a prefill chunk its tiles (a short chunk
        // runs one kernel where a decode runs two, so its row may be the cheaper: the bundles, 8 µs against 9.3).
        let attentionNs = attention.batchNs([(max(input, 1), kvCache)], heads: shard.attentionHeads, gpu: self)
        switch layer {
        case .qProj: return linear(qkv, h) * qWidth / qkv
        case .kProj, .vProj: return linear(qkv, h) * kvWidth / qkv
        case .oProj: return linear(h, qWidth)
        case .gateProj, .upProj: return linear(2 * mlp, h) / 2
        case .downProj: return linear(h, mlp)
        case .fc1: return linear(mlp, h)
        case .fc2: return linear(h, mlp)
        case .lmHead:
            // Our lm_head row is LLMServingSim's lm_head + sampler: the tokens it is timed for are sampled.
            let sampler = kernels.elementwise[.sampler].map { $0.ns(bytes: ElementwiseKind.samplerBytes(sequences: n, vocabSize: model.vocabSize), gpu: self) }
            return linear(shard.vocab, h) + (sampler ?? 0)
        case .inputLayernorm, .postLayernorm, .finalLayernorm: return elementwise(.norm)
        case .rope: return elementwise(.rotary)
        case .actFn: return elementwise(.activation)
        case .embedding: return elementwise(.embedding)
        case .qNorm, .kNorm:
            let share = (layer == .qNorm ? qWidth : kvWidth) / (qWidth + kvWidth)
            let fusedBytes = 2 * n * (qWidth + kvWidth) * b
            return kernels.elementwise[.qkNorm].map { $0.ns(bytes: fusedBytes, gpu: self) * share } ?? 0
        case .attn: return attentionNs
        case .qkMatmul, .softmax, .svMatmul:
            // OPT's three attention rows split FlashAttention's one kernel by their FLOPs.
            let matmul = 2 * shard.headDim
            let softmax = 5.0
            return attentionNs * (layer == .softmax ? softmax : matmul) / (2 * matmul + softmax)
        }
    }
}
