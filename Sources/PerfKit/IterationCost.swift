/// The time of one forward pass (an iteration) of a batch, from a compiled table.
public struct IterationCost: Sendable {
    /// The most sequences a query of one iteration takes (`perfkit query`, the REPL's `latency`).
    public static let maxQueryBatch = 4096

    public let table: ModelLatencyTable
    public let allReduce: AllReduceModel
    /// Where the table came from, for reports.
    public let provenance: String
    /// What decodes cost in a batch that also has a prefill chunk (from the GPU's fitted attention); nil: their rows.
    public let mixedBatch: MixedBatchAttention?
    @usableFromInline let blocks: Double
    @usableFromInline let activationBytesPerToken: Double
    @usableFromInline let maxTabulatedTokens: Int

    public init(table: ModelLatencyTable, allReduce: AllReduceModel, mixedBatch: MixedBatchAttention? = nil) {
        self.init(table: table, allReduce: allReduce, provenance: "latency table", mixedBatch: mixedBatch)
    }

    /// A cost from `table` on `gpu`: its all-reduce and its fitted mixed-batch attention.
    public init(table: ModelLatencyTable, gpu: GPUSpec, provenance: String = "latency table") {
        self.init(table: table, allReduce: AllReduceModel(gpu: gpu), provenance: provenance,
                  mixedBatch: MixedBatchAttention(model: table.model, tp: table.tp, gpu: gpu))
    }

    /// A cost from `table`, naming where it came from (`provenance`) for reports.
    public init(table: ModelLatencyTable, allReduce: AllReduceModel, provenance: String, mixedBatch: MixedBatchAttention? = nil) {
        self.table = table
        self.allReduce = allReduce
        self.provenance = provenance
        self.mixedBatch = mixedBatch
        maxTabulatedTokens = table.maxTabulatedTokens
        blocks = Double(table.model.numHiddenLayers)
        activationBytesPerToken = Double(table.model.hiddenSize * table.model.bytesPerElement)
    }

    /// Iteration time, ns: embedding, every block (dense layers at the batch's tokens, attention per sequence,
    /// two all-reduces when tp > 1), final norm, and lm_head for the `emitting` sequences.
    @inlinable public func ns<S: Sequence>(sequences: S, emitting: Int) -> Double where S.Element == (input: Int, kvCache: Int) {
        var tokens = 0
        for sequence in sequences { tokens += sequence.input }
        guard tokens > 0 else { return 0 }
        let block = table.blockDenseNs(tokens: tokens) + table.blockAttentionNs(sequences, mixedBatch: mixedBatch)
            + 2 * allReduce.ns(bytes: Double(tokens) * activationBytesPerToken, tp: table.tp)
        var total = table.latencyNs(.embedding, tokens: tokens) + blocks * block
            + table.latencyNs(.finalLayernorm, tokens: tokens)
        if emitting > 0 { total += table.latencyNs(.lmHead, tokens: emitting) }
        return total
    }

    /// The same iteration, layer by layer, for display.
    public func breakdown(sequences: [(input: Int, kvCache: Int)], emitting: Int) -> IterationBreakdown {
        let tokens = sequences.reduce(0) { $0 + $1.input }
        var items: [IterationBreakdown.Item] = []
        for layer in table.model.layers {
            let perCall: Double
            let keyed: String
            if layer.isAttention {
                perCall = table.batchAttentionNs(layer, sequences, mixedBatch: mixedBatch)
                keyed = sequences.count == 1 ? "input=\(sequences[0].input) kv=\(sequences[0].kvCache)" : "\(sequences.count) sequences"
            } else if layer == .lmHead {
                perCall = emitting > 0 ? table.latencyNs(layer, tokens: emitting) : 0
                keyed = "tokens=\(emitting)"
            } else {
                perCall = table.latencyNs(layer, tokens: tokens)
                keyed = "tokens=\(tokens)"
            }
            let calls = layer.placement == .block ? table.model.numHiddenLayers : 1
            items.append(.init(name: layer.rawValue, key: keyed, calls: calls, nsPerCall: perCall))
        }
        if table.tp > 1 {
            let perCall = allReduce.ns(bytes: Double(tokens) * activationBytesPerToken, tp: table.tp)
            items.append(.init(name: "all_reduce", key: "tp=\(table.tp)", calls: 2 * table.model.numHiddenLayers, nsPerCall: perCall))
        }
        return IterationBreakdown(items: items, totalNs: ns(sequences: sequences, emitting: emitting))
    }
}

/// An iteration's time split by layer.
public struct IterationBreakdown: Sendable {
    public struct Item: Sendable {
        public var name: String
        /// The lookup key, for display (`tokens=512`).
        public var key: String
        /// How many times the layer runs in the iteration (the block count for block layers).
        public var calls: Int
        public var nsPerCall: Double
        public var totalNs: Double { nsPerCall * Double(calls) }
    }

    public var items: [Item]
    /// The whole iteration, ns.
    public var totalNs: Double
}
