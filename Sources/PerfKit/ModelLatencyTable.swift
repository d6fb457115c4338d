/// One model's latency curves on one GPU at one tp, compiled from a `LatencyTable` for fast lookups.
public struct ModelLatencyTable: Sendable {
    public let hardware: String
    public let model: ModelConfig
    public let tp: Int
    @usableFromInline let curves: [LatencyCurve?]
    @usableFromInline let surfaces: [AttentionSurface?]
    @usableFromInline let blockLayers: [Int]
    @usableFromInline let attentionLayers: [Int]
    /// Per attention layer, decode latency (input 1) at every cached-token count below the context: an O(1)
    /// lookup for the simulator's most frequent query. Empty when the table has no input-1 points.
    @usableFromInline let denseDecode: [[Double]]
    /// The block's dense layers summed at every batch-token count up to `denseBlockLimit`, for O(1) lookups.
    @usableFromInline let denseBlock: [Double]
    /// Per attention layer, the time of its cheapest decode: a decode-only batch pays its kernels once, not per sequence.
    @usableFromInline let attentionLaunchNs: [Double]

    /// Batch-token counts up to which the block's dense layers are precomputed.
    public static let denseBlockLimit = 16384

    /// Compiles the rows of `model` at `tp` (and `hardware`, when the table holds several); a missing layer is an error.
    public init(table: LatencyTable, model: ModelConfig, tp: Int = 1, hardware: String? = nil) throws(PerfKitError) {
        let selected = table.rows.filter {
            $0.model == model.id && $0.tp == tp && (hardware == nil || $0.hardware == hardware)
        }
        guard let first = selected.first else {
            let available = Set(table.rows.map { "\($0.model) tp=\($0.tp) on \($0.hardware)" }).sorted().joined(separator: "; ")
            throw PerfKitError(
                "no rows for model \(model.id) at tp=\(tp)\(hardware.map { " on \($0)" } ?? ""); the table has: \(available.isEmpty ? "no rows" : available)",
                location: table.source)
        }
        self.hardware = hardware ?? first.hardware
        self.model = model
        self.tp = tp
        var grouped: [LayerName: [LatencyRow]] = [:]
        for row in selected {
            if let layer = row.layer { grouped[layer, default: []].append(row) }
        }
        let missing = model.layers.filter { grouped[$0] == nil }
        guard missing.isEmpty else {
            throw PerfKitError(
                "rows for \(model.id) tp=\(tp) lack layer(s) \(missing.map(\.rawValue).joined(separator: ", "))",
                location: table.source)
        }
        var curves = [LatencyCurve?](repeating: nil, count: LayerName.allCases.count)
        var surfaces = [AttentionSurface?](repeating: nil, count: LayerName.allCases.count)
        var denseDecode = [[Double]](repeating: [], count: LayerName.allCases.count)
        var launch = [Double](repeating: 0, count: LayerName.allCases.count)
        for layer in model.layers {
            let rows = grouped[layer]!
            if layer.isAttention {
                let surface = AttentionSurface(points: rows.map { ($0.input, $0.kvCache, $0.latencyNs) })
                surfaces[layer.index] = surface
                if surface.inputs.first == 1 {
                    let curve = surface.curves[0]
                    denseDecode[layer.index] = (0..<model.maxPositionEmbeddings).map { curve.latency(at: Double($0)) }
                }
                // A decode-only batch's kernels, paid once per batch: the cheapest single decode.
                let decodes = rows.filter { $0.input == 1 }
                launch[layer.index] = Double((decodes.isEmpty ? rows : decodes).map(\.latencyNs).min()!)
            } else {
                curves[layer.index] = LatencyCurve(points: rows.map { ($0.input, $0.latencyNs) })
            }
        }
        self.curves = curves
        self.surfaces = surfaces
        self.denseDecode = denseDecode
        self.attentionLaunchNs = launch
        let blockLayers = model.layers.filter { $0.placement == .block && !$0.isAttention }.map(\.index)
        self.blockLayers = blockLayers
        attentionLayers = model.layers.filter(\.isAttention).map(\.index)
        let denseLimit = min(Self.denseBlockLimit, Int(blockLayers.compactMap { curves[$0]?.upperBound }.min() ?? 0))
        denseBlock = (0...denseLimit).map { tokens in blockLayers.reduce(0.0) { $0 + curves[$1]!.latency(at: Double(tokens)) } }
    }

    /// Latency of a non-attention layer for `tokens` batch tokens, ns.
    @inlinable public func latencyNs(_ layer: LayerName, tokens: Int) -> Double {
        curves[layer.index]?.latency(at: Double(tokens)) ?? 0
    }

    /// Latency of an attention layer for one sequence with `input` new and `kvCache` cached tokens, ns.
    @inlinable public func attentionNs(_ layer: LayerName, input: Int, kvCache: Int) -> Double {
        attentionNs(index: layer.index, input: input, kvCache: kvCache)
    }

    @inlinable func attentionNs(index: Int, input: Int, kvCache: Int) -> Double {
        if input == 1, kvCache < denseDecode[index].count { return denseDecode[index][kvCache] }
        return surfaces[index]?.latency(input: Double(input), kvCache: Double(kvCache)) ?? 0
    }

    /// Whether a lookup at (input, kvCache) falls outside the table's points and so is extrapolated.
    public func isExtrapolated(_ layer: LayerName, input: Int, kvCache: Int) -> Bool {
        if layer.isAttention {
            return !(surfaces[layer.index]?.covers(input: Double(input), kvCache: Double(kvCache)) ?? false)
        }
        return !(curves[layer.index]?.covers(Double(input)) ?? false)
    }

    /// The largest batch-token count the non-attention rows reach without extrapolation.
    public var maxTabulatedTokens: Int {
        Int(blockLayers.compactMap { curves[$0]?.upperBound }.min() ?? 0)
    }

    /// Sum of the block's non-attention layers for `tokens` batch tokens, one block, ns.
    @inlinable public func blockDenseNs(tokens: Int) -> Double {
        if tokens < denseBlock.count { return denseBlock[tokens] }
        let size = Double(tokens)
        var total = 0.0
        for index in blockLayers { total += curves[index]!.latency(at: size) }
        return total
    }

    /// Time of one attention layer for a batch of sequences, each (new tokens, cached tokens), ns. A decode-only batch
    /// pays its kernels' launch (the cheapest decode row) once, not per sequence; a chunk's row is its whole kernel. In a
    /// batch that also holds a prefill chunk, the decodes cost as `mixedBatch` has it (spread over the attention layers
    /// by their decode rows) when given, else as their decode rows less the launch.
    @inlinable public func batchAttentionNs<S: Sequence>(_ layer: LayerName, _ sequences: S, mixedBatch: MixedBatchAttention? = nil) -> Double
    where S.Element == (input: Int, kvCache: Int) {
        let own = batchAttentionParts(index: layer.index, sequences)
        guard own.isMixed, let mixedBatch, own.decodeNs > 0 else { return own.launchNs + own.prefillNs + own.decodeNs }
        var allDecodeNs = 0.0
        for index in attentionLayers { allDecodeNs += batchAttentionParts(index: index, sequences).decodeNs }
        return own.launchNs + own.prefillNs + own.mixedDecodeNs(mixedBatch) * own.decodeNs / allDecodeNs
    }

    /// Time of all attention layers of one block for a batch of sequences, ns (`mixedBatch` as in `batchAttentionNs`).
    @inlinable public func blockAttentionNs<S: Sequence>(_ sequences: S, mixedBatch: MixedBatchAttention? = nil) -> Double
    where S.Element == (input: Int, kvCache: Int) {
        var total = 0.0, decodeNs = 0.0
        var last: AttentionParts?
        for index in attentionLayers {
            let parts = batchAttentionParts(index: index, sequences)
            total += parts.launchNs + parts.prefillNs
            decodeNs += parts.decodeNs
            last = parts
        }
        guard let last, last.isMixed, let mixedBatch else { return total + decodeNs }
        return total + last.mixedDecodeNs(mixedBatch)
    }

    @inlinable func batchAttentionParts<S: Sequence>(index: Int, _ sequences: S) -> AttentionParts
    where S.Element == (input: Int, kvCache: Int) {
        let launch = attentionLaunchNs[index]
        var parts = AttentionParts(launchNs: 0)
        for sequence in sequences where sequence.input > 0 {
            let ns = attentionNs(index: index, input: sequence.input, kvCache: sequence.kvCache)
            if sequence.input == 1 {
                parts.decodeNs += ns - launch
                parts.decodes += 1
                parts.contextTokens += sequence.kvCache + 1
                parts.longestContext = max(parts.longestContext, sequence.kvCache + 1)
            } else {
                parts.prefillNs += ns
                parts.prefills += 1
                parts.longestChunk = max(parts.longestChunk, sequence.input)
            }
        }
        if parts.decodes > 0 && parts.prefills == 0 { parts.launchNs = launch }
        return parts
    }

    /// One attention layer's batch split into its launch, prefill chunks and decodes.
    @usableFromInline struct AttentionParts {
        @usableFromInline var launchNs: Double
        @usableFromInline var prefillNs = 0.0, decodeNs = 0.0
        @usableFromInline var prefills = 0, decodes = 0, contextTokens = 0, longestContext = 0, longestChunk = 0

        @inlinable init(launchNs: Double) { self.launchNs = launchNs }

        @inlinable var isMixed: Bool { prefills > 0 && decodes > 0 }

        @inlinable func mixedDecodeNs(_ model: MixedBatchAttention) -> Double {
            model.ns(decodes: decodes, contextTokens: contextTokens, longestContext: longestContext, longestChunk: longestChunk)
        }
    }
}
