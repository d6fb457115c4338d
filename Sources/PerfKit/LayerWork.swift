/// The arithmetic and memory traffic of one layer on one GPU: the inputs of the roofline.
public struct LayerWork: Sendable, Hashable {
    /// Floating-point operations.
    public var flops: Double
    /// Bytes read and written in GPU memory (weights, activations, KV cache).
    public var bytes: Double

    public init(flops: Double, bytes: Double) {
        self.flops = flops
        self.bytes = bytes
    }

    /// The work of `layer` of `model` on one of `tp` GPUs, for `input` tokens
    /// (batch tokens, or one sequence's new tokens for attention) over `kvCache` cached tokens.
    public init(layer: LayerName, model: ModelConfig, tp: Int, input: Int, kvCache: Int) {
        let shard = ModelShard(model: model, tp: tp)
        let n = Double(input), b = shard.bytesPerElement, h = shard.hidden, d = shard.headDim
        let qWidth = shard.queryWidth, kvWidth = shard.kvWidth, mlp = shard.intermediate
        // Query-key pairs of a causal chunk of n new tokens after kvCache cached ones.
        let pairs = n * Double(kvCache) + n * (n + 1) / 2
        let context = Double(kvCache) + n

        func linear(_ inputWidth: Double, _ outputWidth: Double) -> LayerWork {
            LayerWork(
                flops: 2 * n * inputWidth * outputWidth,
                bytes: (inputWidth * outputWidth + n * inputWidth + n * outputWidth) * b)
        }
        func elementwise(_ width: Double, reads: Double, writes: Double, flopsPerElement: Double) -> LayerWork {
            LayerWork(flops: flopsPerElement * n * width, bytes: (reads + writes) * n * width * b)
        }

        switch layer {
        case .embedding:
            let tables = model.family == .opt ? 2.0 : 1.0
            self = LayerWork(flops: tables * n * h, bytes: (tables + 1) * n * h * b)
        case .inputLayernorm, .postLayernorm, .finalLayernorm:
            // vLLM fuses the residual add: read input and residual, write both.
            self = elementwise(h, reads: 2, writes: 2, flopsPerElement: 6)
            bytes += h * b
        case .qProj: self = linear(h, qWidth)
        case .kProj, .vProj: self = linear(h, kvWidth)
        case .qNorm: self = elementwise(qWidth, reads: 1, writes: 1, flopsPerElement: 5)
        case .kNorm: self = elementwise(kvWidth, reads: 1, writes: 1, flopsPerElement: 5)
        case .rope: self = elementwise(qWidth + kvWidth, reads: 1, writes: 1, flopsPerElement: 4)
        case .attn:
            self = LayerWork(
                flops: 4 * shard.queryHeads * d * pairs,
                bytes: (2 * n * qWidth + 2 * context * kvWidth + 2 * n * kvWidth) * b)
        case .qkMatmul:
            self = LayerWork(
                flops: 2 * shard.queryHeads * d * pairs,
                bytes: (n * qWidth + context * kvWidth + n * kvWidth + shard.queryHeads * pairs) * b)
        case .softmax:
            self = LayerWork(flops: 5 * shard.queryHeads * pairs, bytes: 2 * shard.queryHeads * pairs * b)
        case .svMatmul:
            self = LayerWork(
                flops: 2 * shard.queryHeads * d * pairs,
                bytes: (shard.queryHeads * pairs + context * kvWidth + n * kvWidth + n * qWidth) * b)
        case .oProj: self = linear(qWidth, h)
        case .gateProj, .upProj, .fc1: self = linear(h, mlp)
        case .downProj, .fc2: self = linear(mlp, h)
        case .actFn:
            self = model.family == .opt
                ? elementwise(mlp, reads: 1, writes: 1, flopsPerElement: 1)
                : elementwise(mlp, reads: 2, writes: 1, flopsPerElement: 5)
        case .lmHead: self = linear(h, shard.vocab)
        }
    }
}

extension LayerWork {
    /// The least work any implementation of the layer must do: all its FLOPs, but only the bytes it cannot avoid
    /// (weights, the KV cache it reads, one read of an elementwise input). The physical-floor rule uses this, so a
    /// measured table from fused or cached kernels is not flagged for traffic it never had.
    public static func lowerBound(layer: LayerName, model: ModelConfig, tp: Int, input: Int, kvCache: Int) -> LayerWork {
        let full = LayerWork(layer: layer, model: model, tp: tp, input: input, kvCache: kvCache)
        let shard = ModelShard(model: model, tp: tp)
        let b = Double(model.bytesPerElement)
        let h = Double(model.hiddenSize)
        let d = Double(model.headDim)
        let n = Double(input)
        let kvRead = (Double(kvCache) + n) * shard.kvHeads * d * b
        let bytes: Double
        switch layer {
        case .qProj, .oProj: bytes = h * shard.queryHeads * d * b
        case .kProj, .vProj: bytes = h * shard.kvHeads * d * b
        case .gateProj, .upProj, .downProj, .fc1, .fc2: bytes = h * shard.intermediate * b
        case .lmHead: bytes = h * shard.vocab * b
        case .attn: bytes = 2 * kvRead
        case .qkMatmul, .svMatmul: bytes = kvRead
        case .embedding, .inputLayernorm, .postLayernorm, .finalLayernorm, .qNorm, .kNorm, .rope, .actFn, .softmax:
            bytes = full.bytes / 4
        }
        return LayerWork(flops: full.flops, bytes: bytes)
    }
}

/// The per-GPU share of a model under tensor parallelism (Megatron-style column/row splits).
struct ModelShard {
    let queryHeads: Double
    /// KV heads per GPU; replicated when there are fewer KV heads than GPUs.
    let kvHeads: Double
    let intermediate: Double
    let vocab: Double
    let hidden: Double
    let headDim: Double
    let bytesPerElement: Double

    init(model: ModelConfig, tp: Int) {
        let ways = Double(tp)
        queryHeads = Double(model.numAttentionHeads) / ways
        kvHeads = max(1, Double(model.numKeyValueHeads) / ways)
        intermediate = Double(model.intermediateSize) / ways
        vocab = Double(model.vocabSize) / ways
        hidden = Double(model.hiddenSize)
        headDim = Double(model.headDim)
        bytesPerElement = Double(model.bytesPerElement)
    }

    var queryWidth: Double { queryHeads * headDim }
    var kvWidth: Double { kvHeads * headDim }
    /// The shard's attention shape, as the attention kernel models it.
    var attentionHeads: AttentionKernel.Heads {
        AttentionKernel.Heads(query: queryHeads, keyValue: kvHeads, dimension: headDim, bytesPerElement: bytesPerElement)
    }
}
