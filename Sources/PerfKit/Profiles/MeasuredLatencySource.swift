/// Iteration times from a measured profile, used as LLMServingSim uses a bundle (serving/core/trace_generator.py):
/// dense layers (fused `qkv_proj`, `gate_up_proj` as measured) at the batch's tokens, one 4-D attention lookup per
/// block for the whole batch, `lm_head` and `sampler` by the sequences in the batch. A Vidur profile's operators
/// replace the dense layers; its attention, final norm and lm_head come from our table for the GPU.
public struct MeasuredLatencySource: LatencySource {
    public let profile: MeasuredProfile
    public let model: ModelConfig
    public let hardware: String
    public let tp: Int
    public let allReduce: AllReduceModel
    public let notes: [String]
    /// Our table, for what a Vidur folder lacks (attention, final norm, lm_head with the sampler); nil for bundles.
    public let fallback: ModelLatencyTable?
    @usableFromInline let prologue: [MeasuredCurve]
    @usableFromInline let block: [(curve: MeasuredCurve, calls: Double)]
    @usableFromInline let head: [MeasuredCurve]
    @usableFromInline let perSequence: [MeasuredCurve]
    @usableFromInline let attention: AttentionGrid?
    @usableFromInline let skewAlpha: Double
    /// The block's dense layers summed at every batch-token count up to `ModelLatencyTable.denseBlockLimit`.
    @usableFromInline let denseBlock: [Double]
    @usableFromInline let tokenRange: ClosedRange<Int>
    @usableFromInline let sequenceLimit: Int
    @usableFromInline let blocks: Double
    @usableFromInline let activationBytesPerToken: Double

    /// Compiles `profile` for `model` on `gpu`; a layer the model's catalog needs and the profile lacks is an error.
    public init(profile: MeasuredProfile, model: ModelConfig, gpu: GPUSpec, fallback table: ModelLatencyTable? = nil) throws(PerfKitError) {
        self.profile = profile
        self.model = model
        hardware = gpu.name
        tp = profile.tp
        allReduce = AllReduceModel(gpu: gpu)
        attention = profile.attention
        skewAlpha = profile.skewAlpha
        blocks = Double(model.numHiddenLayers)
        activationBytesPerToken = Double(model.hiddenSize * model.bytesPerElement)
        func curve(_ name: String, in layers: [MeasuredProfile.Layer], file: String) throws(PerfKitError) -> MeasuredCurve {
            guard let layer = layers.first(where: { $0.name == name }) else {
                throw PerfKitError("lacks layer \"\(name)\", which \(model.id)'s forward pass needs; it has \(layers.map(\.name).joined(separator: ", "))", location: file)
            }
            return layer.curve
        }
        var notes = profile.notes
        switch profile.format {
        case .lssBundle:
            guard let catalog = BundleCatalog.of(model.family) else {
                throw PerfKitError("LLMServingSim has no layer catalog for \(model.family.rawValue) models", location: profile.source)
            }
            let dense = profile.source + "/tp\(profile.tp)/dense.csv"
            let perSequenceFile = profile.source + "/tp\(profile.tp)/per_sequence.csv"
            var prologue: [MeasuredCurve] = []
            for name in catalog.prologue { prologue.append(try curve(name, in: profile.dense, file: dense)) }
            var block: [(MeasuredCurve, Double)] = []
            for entry in catalog.block { block.append((try curve(entry.name, in: profile.dense, file: dense), Double(entry.calls))) }
            var head: [MeasuredCurve] = []
            for name in catalog.head { head.append(try curve(name, in: profile.dense, file: dense)) }
            var perSequence: [MeasuredCurve] = []
            for name in catalog.perSequence { perSequence.append(try curve(name, in: profile.perSequence, file: perSequenceFile)) }
            self.prologue = prologue
            self.block = block
            self.head = head
            self.perSequence = perSequence
            fallback = nil
            sequenceLimit = perSequence.map(\.upperBound).min() ?? 0
        case .vidur:
            guard let table else {
                throw PerfKitError("a Vidur profile needs our table for attention and lm_head", location: profile.source)
            }
            let file = profile.source + "/mlp.csv"
            prologue = [try curve(VidurReader.embeddingOperator, in: profile.dense, file: file)]
            var block: [(MeasuredCurve, Double)] = []
            for name in VidurReader.blockOperators { block.append((try curve(name, in: profile.dense, file: file), 1)) }
            self.block = block
            head = []
            perSequence = []
            fallback = table
            sequenceLimit = .max
            notes.append("attention, final_layernorm and lm_head come from our table for \(gpu.name): the Vidur folder has no attention.csv that is read")
        }
        self.notes = notes
        let compiled = block
        let lower = compiled.map(\.curve.lowerBound).max() ?? 1
        let upper = compiled.map(\.curve.upperBound).min() ?? 0
        tokenRange = min(lower, upper)...upper
        denseBlock = (0...ModelLatencyTable.denseBlockLimit).map { tokens in compiled.reduce(0.0) { $0 + $1.calls * $1.curve.ns(at: tokens) } }
    }

    public var provenance: String {
        switch profile.format {
        case .lssBundle: "LLMServingSim bundle \(profile.source) tp\(tp)"
        case .vidur: "Vidur profile \(profile.source) tp\(tp)"
        }
    }

    /// Sum of the block's dense layers at `tokens`, one block, ns.
    @inlinable public func blockDenseNs(tokens: Int) -> Double {
        if tokens < denseBlock.count { return denseBlock[tokens] }
        var total = 0.0
        for entry in block { total += entry.calls * entry.curve.ns(at: tokens) }
        return total
    }

    /// One layer's attention for a batch aggregated as LLMServingSim's `_build_batch_ctx`: chunks of more than one
    /// token are prefill (chunk tokens and cached tokens summed), one-token sequences decode (count, mean cached
    /// tokens), with their skew correction toward the longest decode by the bundle's alpha.
    @inlinable public func bundleAttention(_ sequences: [(input: Int, kvCache: Int)]) -> (ns: Double, extrapolated: Bool) {
        guard let attention else { return (0, false) }
        var chunk = 0, kvPrefill = 0, decodes = 0, kvSum = 0, kvMax = 0, kvMin = Int.max
        for sequence in sequences {
            if sequence.input > 1 {
                chunk += sequence.input
                kvPrefill += sequence.kvCache
            } else {
                decodes += 1
                kvSum += sequence.kvCache
                kvMax = max(kvMax, sequence.kvCache)
                kvMin = min(kvMin, sequence.kvCache)
            }
        }
        let kvMean = decodes > 0 ? kvSum / decodes : 0
        let mean = attention.lookup(prefillChunk: chunk, kvPrefill: kvPrefill, decodeCount: decodes, kvDecode: kvMean)
        guard decodes > 1, kvMax != kvMean, skewAlpha != 0 else { return mean }
        let longest = attention.lookup(prefillChunk: chunk, kvPrefill: kvPrefill, decodeCount: decodes, kvDecode: kvMax)
        guard longest.ns > mean.ns else { return mean }
        return (max(1, (mean.ns + skewAlpha * (longest.ns - mean.ns)).rounded(.toNearestOrEven)), mean.extrapolated || longest.extrapolated)
    }

    public func iteration(sequences: [(input: Int, kvCache: Int)], emitting: Int) -> IterationTiming {
        var tokens = 0
        for sequence in sequences { tokens += sequence.input }
        guard tokens > 0 else { return IterationTiming(ns: 0, extrapolated: false) }
        var extrapolated = !tokenRange.contains(tokens)
        let attentionNs: Double
        if let fallback {
            attentionNs = fallback.blockAttentionNs(sequences)
        } else {
            let looked = bundleAttention(sequences)
            attentionNs = looked.ns
            extrapolated = extrapolated || looked.extrapolated || sequences.count > sequenceLimit
        }
        let blockNs = blockDenseNs(tokens: tokens) + attentionNs
            + 2 * allReduce.ns(bytes: Double(tokens) * activationBytesPerToken, tp: tp)
        var total = blocks * blockNs
        for curve in prologue { total += curve.ns(at: tokens) }
        for curve in head { total += curve.ns(at: tokens) }
        for curve in perSequence { total += curve.ns(at: sequences.count) }
        if let fallback {
            total += fallback.latencyNs(.finalLayernorm, tokens: tokens)
            if emitting > 0 { total += fallback.latencyNs(.lmHead, tokens: emitting) }
        }
        return IterationTiming(ns: total, extrapolated: extrapolated)
    }

    public func breakdown(sequences: [(input: Int, kvCache: Int)], emitting: Int) -> IterationBreakdown {
        let tokens = sequences.reduce(0) { $0 + $1.input }
        let layers = model.numHiddenLayers
        var items: [IterationBreakdown.Item] = []
        switch profile.format {
        case .lssBundle:
            let catalog = BundleCatalog.of(model.family)!
            for (name, curve) in zip(catalog.prologue, prologue) {
                items.append(.init(name: name, key: "tokens=\(tokens)", calls: 1, nsPerCall: curve.ns(at: tokens)))
            }
            for (entry, compiled) in zip(catalog.block, block) {
                items.append(.init(name: entry.name, key: "tokens=\(tokens)", calls: entry.calls * layers, nsPerCall: compiled.curve.ns(at: tokens)))
            }
            items.append(.init(name: "attention", key: attentionKey(sequences), calls: layers, nsPerCall: bundleAttention(sequences).ns))
            for (name, curve) in zip(catalog.head, head) {
                items.append(.init(name: name, key: "tokens=\(tokens)", calls: 1, nsPerCall: curve.ns(at: tokens)))
            }
            for (name, curve) in zip(catalog.perSequence, perSequence) {
                items.append(.init(name: name, key: "sequences=\(sequences.count)", calls: 1, nsPerCall: curve.ns(at: sequences.count)))
            }
        case .vidur:
            items.append(.init(name: VidurReader.embeddingOperator, key: "tokens=\(tokens)", calls: 1, nsPerCall: prologue[0].ns(at: tokens)))
            for (name, compiled) in zip(VidurReader.blockOperators, block) {
                items.append(.init(name: name, key: "tokens=\(tokens)", calls: layers, nsPerCall: compiled.curve.ns(at: tokens)))
            }
            if let fallback {
                items.append(.init(name: "attn (our table)", key: "\(sequences.count) sequences", calls: layers, nsPerCall: fallback.blockAttentionNs(sequences)))
                items.append(.init(name: "final_layernorm (our table)", key: "tokens=\(tokens)", calls: 1, nsPerCall: fallback.latencyNs(.finalLayernorm, tokens: tokens)))
                items.append(.init(name: "lm_head (our table)", key: "tokens=\(emitting)", calls: 1, nsPerCall: emitting > 0 ? fallback.latencyNs(.lmHead, tokens: emitting) : 0))
            }
        }
        if tp > 1 {
            let perCall = allReduce.ns(bytes: Double(tokens) * activationBytesPerToken, tp: tp)
            items.append(.init(name: "all_reduce", key: "tp=\(tp)", calls: 2 * layers, nsPerCall: perCall))
        }
        return IterationBreakdown(items: items, totalNs: iteration(sequences: sequences, emitting: emitting).ns)
    }

    private func attentionKey(_ sequences: [(input: Int, kvCache: Int)]) -> String {
        let prefill = sequences.filter { $0.input > 1 }
        let decode = sequences.filter { $0.input <= 1 }
        let kvMean = decode.isEmpty ? 0 : decode.reduce(0) { $0 + $1.kvCache } / decode.count
        return "prefill_chunk=\(prefill.reduce(0) { $0 + $1.input }) kv_prefill=\(prefill.reduce(0) { $0 + $1.kvCache }) n_decode=\(decode.count) kv_decode=\(kvMean)"
    }
}
