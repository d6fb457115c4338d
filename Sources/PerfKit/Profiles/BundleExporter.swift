public import Foundation

/// Writes one of our tables as an LLMServingSim profile bundle (`perfkit export --format lss-bundle`):
/// `<out>/<HW>/<model>/<variant>/meta.yaml` and `tp<N>/dense.csv`, `per_sequence.csv`, `attention.csv` with their
/// columns, µs, layer catalog and grid shape (casys-kaist/LLMServingSim `docs/docs/profiler/output-bundle.md`).
public struct BundleExporter: Sendable {
    /// The sweep bounds the grid is cut to, as LLMServingSim's profiler defaults (`max_num_batched_tokens` 2048,
    /// `max_num_seqs` 256, cached tokens up to 16,384).
    public var maxNumBatchedTokens = 2048
    public var maxNumSeqs = 256
    public var maxKV = 16384

    public init() {}

    /// Their dense token grid: 1–16, then every 4 to 64, then every 16 up to `limit`.
    public static func tokenGrid(upTo limit: Int) -> [Int] {
        (Array(1...16) + Array(stride(from: 20, through: 64, by: 4)) + Array(stride(from: 80, through: max(80, limit), by: 16))).filter { $0 <= limit }
    }

    /// A doubling axis from `start` to `limit`, with a leading 0 when `zero`.
    public static func doubling(from start: Int, to limit: Int, zero: Bool) -> [Int] {
        var values = zero ? [0] : []
        var value = start
        while value <= limit { values.append(value); value *= 2 }
        return values
    }

    /// The variant folder name LLMServingSim derives from the weight dtype.
    public static func variant(_ model: ModelConfig) -> String {
        model.bytesPerElement == 4 ? "fp32" : "bf16"
    }

    /// Writes the bundle of `model` at `tps` from `table` on `gpu`; the variant folder must not exist unless `force`.
    /// Returns the variant folder.
    @discardableResult
    public func write(table: LatencyTable, model: ModelConfig, gpu: GPUSpec, tps: [Int], out: URL, force: Bool) throws(PerfKitError) -> URL {
        guard let catalog = BundleCatalog.of(model.family) else {
            throw PerfKitError("LLMServingSim has no layer catalog for \(model.family.rawValue) models")
        }
        guard maxKV <= model.maxPositionEmbeddings else {
            throw PerfKitError("--max-kv \(maxKV) is past \(model.id)'s context of \(model.maxPositionEmbeddings)")
        }
        let variant = out.appendingPathComponent("\(gpu.name)/\(model.huggingFaceID)/\(Self.variant(model))")
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: variant.path) {
            guard force else { throw PerfKitError("already exists; pass --force to replace it", location: variant.path) }
            do { try fileManager.removeItem(at: variant) } catch { throw PerfKitError("cannot replace: \(error.localizedDescription)", location: variant.path) }
        }
        var files: [(URL, String)] = []
        for tp in tps {
            let compiled = try ModelLatencyTable(table: table, model: model, tp: tp, hardware: gpu.name)
            let source = Source(table: table, compiled: compiled, mixedBatch: MixedBatchAttention(model: model, tp: tp, gpu: gpu))
            let folder = variant.appendingPathComponent("tp\(tp)")
            files.append((folder.appendingPathComponent("dense.csv"), dense(source, catalog: catalog)))
            files.append((folder.appendingPathComponent("per_sequence.csv"), perSequence(source, gpu: gpu)))
            files.append((folder.appendingPathComponent("attention.csv"), attention(source)))
        }
        files.append((variant.appendingPathComponent("meta.yaml"), meta(model: model, gpu: gpu, tps: tps, source: table.source)))
        for (url, text) in files {
            do {
                try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw PerfKitError("cannot create folder: \(error.localizedDescription)", location: url.deletingLastPathComponent().path)
            }
            try AtomicFile.write(Data(text.utf8), to: url)
        }
        return variant
    }

    /// Our rows at exact keys where they exist, else the compiled table's interpolation, ns.
    struct Source {
        let compiled: ModelLatencyTable
        let exact: [String: [Int: Double]]
        /// The GPU's mixed-batch attention, as the engine applies it.
        let mixedBatch: MixedBatchAttention?

        init(table: LatencyTable, compiled: ModelLatencyTable, mixedBatch: MixedBatchAttention?) {
            self.compiled = compiled
            self.mixedBatch = mixedBatch
            var exact: [String: [Int: Double]] = [:]
            for row in table.rows where row.model == compiled.model.id && row.tp == compiled.tp && row.hardware == compiled.hardware {
                exact[row.layerName, default: [:]][row.input &* 1_000_003 &+ row.kvCache] = Double(row.latencyNs)
            }
            self.exact = exact
        }

        func dense(_ layer: LayerName, _ tokens: Int) -> Double {
            exact[layer.rawValue]?[tokens &* 1_000_003] ?? compiled.latencyNs(layer, tokens: tokens).rounded()
        }

        func attention(_ input: Int, _ kv: Int) -> Double {
            exact[LayerName.attn.rawValue]?[input &* 1_000_003 &+ kv] ?? compiled.attentionNs(.attn, input: input, kvCache: kv).rounded()
        }

        /// One batch as our engine times it: per-sequence kernels in one launch (see `ModelLatencyTable`).
        func batch(_ sequences: [(input: Int, kvCache: Int)]) -> Double {
            guard sequences.count > 1 else { return sequences.first.map { attention($0.input, $0.kvCache) } ?? 0 }
            return compiled.batchAttentionNs(.attn, sequences, mixedBatch: mixedBatch).rounded()
        }
    }

    private static func micros(_ ns: Double) -> String {
        let whole = Int64(max(1, ns.rounded()))
        let fraction = whole % 1000
        return fraction == 0 ? "\(whole / 1000)" : "\(whole / 1000).\(String(fraction).leftPadded(to: 3))".trimmingTrailingZeros()
    }

    private func dense(_ source: Source, catalog: BundleCatalog) -> String {
        let model = source.compiled.model
        var own = Set<Int>()
        for layer in model.layers where !layer.isAttention && layer != .lmHead {
            for key in source.exact[layer.rawValue]?.keys ?? [:].keys where key % 1_000_003 == 0 { own.insert(key / 1_000_003) }
        }
        let grid = Set(Self.tokenGrid(upTo: maxNumBatchedTokens)).union(own.filter { $0 >= 1 && $0 <= maxNumBatchedTokens }).sorted()
        let parts: [String: [LayerName]] = [
            "embedding": [.embedding], "layernorm": [.inputLayernorm], "qkv_proj": [.qProj, .kProj, .vProj],
            "qk_norm": [.qNorm, .kNorm], "rotary_emb": [.rope], "o_proj": [.oProj], "gate_up_proj": [.gateProj, .upProj],
            "act_fn": [.actFn], "down_proj": [.downProj], "final_layernorm": [.finalLayernorm],
        ]
        var text = "layer,tokens,time_us\n"
        for name in catalog.denseLayers {
            for tokens in grid {
                let ns = parts[name]!.reduce(0.0) { $0 + source.dense($1, tokens) }
                text += "\(name),\(tokens),\(Self.micros(ns))\n"
            }
        }
        return text
    }

    /// Our lm_head, split into LLMServingSim's `lm_head` and `sampler`: the sampler is given the GPU's fitted sampler
    /// kernel's time, at most half of the total (our lm_head rows hold both).
    private func perSequence(_ source: Source, gpu: GPUSpec) -> String {
        let samplerKernel = gpu.kernels?.elementwise[.sampler] ?? ElementwiseKernel(efficiency: 1, floorNs: 0)
        let model = source.compiled.model
        let own = (source.exact[LayerName.lmHead.rawValue]?.keys ?? [:].keys).filter { $0 % 1_000_003 == 0 }.map { $0 / 1_000_003 }
        let grid = Set(Self.tokenGrid(upTo: maxNumSeqs)).union(own.filter { $0 >= 1 && $0 <= maxNumSeqs }).sorted()
        var lmHead = "", sampler = ""
        for sequences in grid {
            let total = source.dense(.lmHead, sequences)
            let bytes = ElementwiseKind.samplerBytes(sequences: Double(sequences), vocabSize: model.vocabSize)
            let sample = min((total / 2).rounded(.down), samplerKernel.ns(bytes: bytes, gpu: gpu).rounded())
            lmHead += "lm_head,\(sequences),\(Self.micros(total - sample))\n"
            sampler += "sampler,\(sequences),\(Self.micros(sample))\n"
        }
        return "layer,sequences,time_us\n" + lmHead + sampler
    }

    private func attention(_ source: Source) -> String {
        let chunks = Self.doubling(from: 16, to: maxNumBatchedTokens, zero: true)
        let decodes = Self.doubling(from: 1, to: maxNumSeqs, zero: true)
        let cached = Self.doubling(from: 16, to: maxKV, zero: true)
        var text = "prefill_chunk,kv_prefill,n_decode,kv_decode,time_us\n"
        for chunk in chunks {
            for kvPrefill in chunk == 0 ? [0] : cached {
                for count in decodes where count + (chunk > 0 ? 1 : 0) <= maxNumSeqs && (chunk > 0 || count > 0) {
                    for kvDecode in count == 0 ? [0] : Array(cached.dropFirst()) {
                        var sequences: [(input: Int, kvCache: Int)] = chunk > 0 ? [(chunk, kvPrefill)] : []
                        sequences += Array(repeating: (1, kvDecode), count: count)
                        text += "\(chunk),\(kvPrefill),\(count),\(kvDecode),\(Self.micros(source.batch(sequences)))\n"
                    }
                }
            }
        }
        return text
    }

    private func meta(model: ModelConfig, gpu: GPUSpec, tps: [Int], source: String) -> String {
        let provenance = source.isEmpty ? "a latency table in memory" : (source as NSString).lastPathComponent
        return """
            # Generated by LLMServingSim for Swift (perfkit export), not measured: every time comes from our latency
            # table \(provenance) (its rows where the grid meets them, its interpolation elsewhere; attention batches
            # by our engine's rule, one kernel launch per batch; our lm_head split into lm_head and sampler).
            profiler_version: generated
            generated: true
            generated_by: perfkit export --format lss-bundle
            generated_from: '\(provenance)'
            gpu: '\(gpu.description)'
            hardware: \(gpu.name)
            architecture: \(model.family.rawValue)
            model: \(model.huggingFaceID)
            variant: \(Self.variant(model))
            tp_degrees: [\(tps.map(String.init).joined(separator: ", "))]
            engine_effective:
              enable_prefix_caching: false
              block_size: 16
              max_num_batched_tokens: \(maxNumBatchedTokens)
              max_num_seqs: \(maxNumSeqs)
            attention_grid:
              max_kv: \(maxKV)
              chunk_factor: 2.0
              kv_factor: 2.0
              chunks: 0, 16-\(maxNumBatchedTokens) x2
              n_decode: 0, 1-\(maxNumSeqs) x2
              kv: 0, 16-\(maxKV) x2
            skew_profile:
              enabled: false
            skew_fit:
              enabled: false

            """
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
    fileprivate func trimmingTrailingZeros() -> String {
        var text = self
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
