import Foundation

/// Minimal readers of the measured profiles `perfkit calibrate` fits to: LLMServingSim's vLLM 0.19 bundles
/// (`meta.yaml`, `tp<N>/dense.csv`, `per_sequence.csv`, `attention.csv`, µs) and Vidur's `mlp.csv` (ms) and
/// `all_reduce.csv` (ms). Each sample is labelled with the GPU its path or `meta.yaml` names.
public enum CalibrationInput {
    /// One measured GPU's samples.
    public typealias SamplesByGPU = [String: [KernelSample]]

    /// Every sample in the profile files under `path` (a file or a folder), by GPU name as the profile spells it.
    public static func samples(at path: URL, models: ModelCatalog) throws(PerfKitError) -> SamplesByGPU {
        var result: SamplesByGPU = [:]
        for file in try files(under: path) {
            let name = file.lastPathComponent
            let found: (gpu: String, samples: [KernelSample])?
            switch name {
            case "dense.csv", "attention.csv", "per_sequence.csv": found = try bundleSamples(file, models: models)
            case "mlp.csv": found = try vidurOperatorSamples(file)
            case "all_reduce.csv": found = try vidurAllReduceSamples(file)
            case "matmul.csv":
                for (gpu, samples) in try matmulPeakSamples(file) { result[gpu, default: []] += samples }
                found = nil
            default: found = nil
            }
            if let found { result[found.gpu, default: []] += found.samples }
        }
        guard !result.isEmpty else {
            throw PerfKitError("no profile files (dense.csv, attention.csv, per_sequence.csv, mlp.csv, all_reduce.csv, matmul.csv) found", location: path.path)
        }
        return result
    }

    private static func files(under path: URL) throws(PerfKitError) -> [URL] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isFolder) else {
            throw PerfKitError("no such file or folder", location: path.path)
        }
        guard isFolder.boolValue else { return [path] }
        let walker = FileManager.default.enumerator(at: path, includingPropertiesForKeys: nil)
        var found: [URL] = []
        while let url = walker?.nextObject() as? URL { found.append(url) }
        return found.sorted { $0.path < $1.path }
    }

    /// A CSV's rows as column → value, with their line numbers.
    private static func table(_ file: URL) throws(PerfKitError) -> [(line: Int, fields: [String: String])] {
        guard let data = FileManager.default.contents(atPath: file.path), let text = String(data: data, encoding: .utf8) else {
            throw PerfKitError("cannot read profile file", location: file.path)
        }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else { return [] }
        var rows: [(Int, [String: String])] = []
        for (index, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let values = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard values.count == header.count else {
                throw PerfKitError("expected \(header.count) fields, found \(values.count)", file: file.path, line: index + 1)
            }
            rows.append((index + 1, Dictionary(zip(header, values), uniquingKeysWith: { first, _ in first })))
        }
        return rows
    }

    private static func number(_ fields: [String: String], _ column: String, _ file: URL, _ line: Int) throws(PerfKitError) -> Double {
        guard let text = fields[column] else { throw PerfKitError("missing column \"\(column)\"", file: file.path, line: 1) }
        guard let value = Double(text), value.isFinite, value >= 0 else {
            throw PerfKitError("column \"\(column)\" must be a non-negative number, found \"\(text)\"", file: file.path, line: line)
        }
        return value
    }

    /// A bundle's `meta.yaml` (two folders above `tp<N>/`): the GPU and the model it profiled.
    private static func bundleMeta(_ file: URL) throws(PerfKitError) -> (gpu: String, model: String, tp: Int) {
        let tpFolder = file.deletingLastPathComponent()
        guard tpFolder.lastPathComponent.hasPrefix("tp"), let tp = Int(tpFolder.lastPathComponent.dropFirst(2)), tp >= 1 else {
            throw PerfKitError("a bundle's CSV must lie in a tp<N> folder", location: file.path)
        }
        let meta = tpFolder.deletingLastPathComponent().appendingPathComponent("meta.yaml")
        guard let data = FileManager.default.contents(atPath: meta.path), let text = String(data: data, encoding: .utf8) else {
            throw PerfKitError("cannot read the bundle's meta.yaml", location: meta.path)
        }
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix(" ") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = parts[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) }
        }
        guard let gpu = values["hardware"], let model = values["model"] else {
            throw PerfKitError("meta.yaml must name \"hardware\" and \"model\"", location: meta.path)
        }
        return (gpu, model, tp)
    }

    private static func bundleSamples(_ file: URL, models: ModelCatalog) throws(PerfKitError) -> (gpu: String, samples: [KernelSample]) {
        let meta = try bundleMeta(file)
        // Hugging Face ids differ in case between a bundle and model_configs/ (Qwen/ and qwen/).
        let id = models.models.first { $0.id.caseInsensitiveCompare(meta.model) == .orderedSame }?.id ?? meta.model
        let model = try models.model(id)
        let shard = ModelShard(model: model, tp: meta.tp)
        let b = shard.bytesPerElement, h = shard.hidden
        let qWidth = shard.queryWidth, kvWidth = shard.kvWidth, mlp = shard.intermediate
        let heads = shard.attentionHeads
        let label = "\(meta.gpu)/\(model.id)/tp\(meta.tp)"
        let copied = try replicatedLayers(file, tp: meta.tp)
        var samples: [KernelSample] = []
        for (line, fields) in try table(file) where !copied.contains(fields["layer"] ?? "") {
            let ns = try number(fields, "time_us", file, line) * 1_000
            guard ns > 0 else { continue }
            if file.lastPathComponent == "attention.csv" {
                let chunk = Int(try number(fields, "prefill_chunk", file, line)), kvPrefill = Int(try number(fields, "kv_prefill", file, line))
                let decodes = Int(try number(fields, "n_decode", file, line)), kvDecode = Int(try number(fields, "kv_decode", file, line))
                var sequences: [(input: Int, kvCache: Int)] = chunk > 0 ? [(chunk, kvPrefill)] : []
                sequences += Array(repeating: (1, kvDecode), count: decodes)
                guard !sequences.isEmpty else { continue }
                let kind = chunk == 0 ? "decode" : decodes == 0 ? "prefill" : "mixed"
                samples.append(KernelSample(shape: .attention(sequences: sequences, heads: heads), bytesPerElement: b, measuredNs: ns, group: "\(label) attention \(kind)"))
                continue
            }
            let layer = fields["layer"] ?? ""
            let tokens = try number(fields, file.lastPathComponent == "dense.csv" ? "tokens" : "sequences", file, line)
            let shape: KernelSample.Shape
            switch layer {
            case "qkv_proj": shape = .gemm(tokens: tokens, n: qWidth + 2 * kvWidth, k: h)
            case "o_proj": shape = .gemm(tokens: tokens, n: h, k: qWidth)
            case "gate_up_proj": shape = .gemm(tokens: tokens, n: 2 * mlp, k: h)
            case "down_proj": shape = .gemm(tokens: tokens, n: h, k: mlp)
            case "lm_head": shape = .gemm(tokens: tokens, n: shard.vocab, k: h)
            case "layernorm", "input_layernorm", "post_attention_layernorm", "final_layernorm":
                shape = .elementwise(.norm, bytes: (4 * tokens * h + h) * b)
            case "rotary_emb": shape = .elementwise(.rotary, bytes: 2 * tokens * (qWidth + kvWidth) * b)
            case "act_fn": shape = .elementwise(.activation, bytes: 3 * tokens * mlp * b)
            case "embedding": shape = .elementwise(.embedding, bytes: 2 * tokens * h * b)
            case "qk_norm": shape = .elementwise(.qkNorm, bytes: 2 * tokens * (qWidth + kvWidth) * b)
            case "sampler": shape = .elementwise(.sampler, bytes: ElementwiseKind.samplerBytes(sequences: tokens, vocabSize: model.vocabSize))
            default: continue
            }
            samples.append(KernelSample(shape: shape, bytesPerElement: b, measuredNs: ns, group: "\(label) \(layer)"))
        }
        return (meta.gpu, samples)
    }

    /// The layers of a tp > 1 `dense.csv` or `per_sequence.csv` whose every time equals tp1's: LLMServingSim's
    /// profiler measures its `tp_stable` layers (norms, Qwen3's qk_norm, the sampler) at tp 1 only and copies the rows
    /// (`replicate_tp_stable`), so they time tp 1's shapes, not this shard's, and are not samples of their own.
    private static func replicatedLayers(_ file: URL, tp: Int) throws(PerfKitError) -> Set<String> {
        let name = file.lastPathComponent
        guard tp > 1, name == "dense.csv" || name == "per_sequence.csv" else { return [] }
        let tp1 = file.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("tp1/\(name)")
        guard FileManager.default.fileExists(atPath: tp1.path) else { return [] }
        let key = name == "dense.csv" ? "tokens" : "sequences"
        func times(_ url: URL) throws(PerfKitError) -> [String: [String: String]] {
            var result: [String: [String: String]] = [:]
            for (_, fields) in try table(url) { result[fields["layer"] ?? "", default: [:]][fields[key] ?? ""] = fields["time_us"] }
            return result
        }
        let own = try times(file), reference = try times(tp1)
        return Set(own.filter { layer, rows in reference[layer] == rows }.keys)
    }

    /// Vidur's per-operator medians by token count and tp (several runs of one shape are reduced to their median).
    private static func vidurOperatorSamples(_ file: URL) throws(PerfKitError) -> (gpu: String, samples: [KernelSample]) {
        let gpu = try vidurGPU(file, under: "compute")
        let operators: [(String, String)] = [("attn_pre_proj", "qkv_proj"), ("attn_post_proj", "o_proj"), ("mlp_up_proj", "gate_up_proj"),
                                             ("mlp_down_proj", "down_proj"), ("input_layernorm", "norm"), ("post_attention_layernorm", "norm"),
                                             ("attn_rope", "rotary"), ("mlp_act", "activation")]
        var runs: [String: [Double]] = [:]
        var shapes: [String: KernelSample.Shape] = [:]
        var order: [String] = []
        for (line, fields) in try table(file) {
            let tokens = try number(fields, "num_tokens", file, line), tp = try number(fields, "num_tensor_parallel_workers", file, line)
            let h = try number(fields, "n_embd", file, line), heads = try number(fields, "n_head", file, line)
            let kvHeads = try number(fields, "n_kv_head", file, line), expanded = try number(fields, "n_expanded_embd", file, line)
            guard tokens > 0, tp >= 1, heads > 0 else { continue }
            let gated = fields["use_gated_mlp"] == "True"
            let d = h / heads, qWidth = heads / tp * d, kvWidth = max(1, kvHeads / tp) * d, mlp = expanded / tp
            for (column, kernel) in operators {
                let shape: KernelSample.Shape
                switch kernel {
                case "qkv_proj": shape = .gemm(tokens: tokens, n: qWidth + 2 * kvWidth, k: h)
                case "o_proj": shape = .gemm(tokens: tokens, n: h, k: qWidth)
                case "gate_up_proj": shape = .gemm(tokens: tokens, n: (gated ? 2 : 1) * mlp, k: h)
                case "down_proj": shape = .gemm(tokens: tokens, n: h, k: mlp)
                // Vidur's RMSNorm is not fused with the residual add: it reads and writes the activations once.
                case "norm": shape = .elementwise(.norm, bytes: (2 * tokens * h + h) * 2)
                case "rotary": shape = .elementwise(.rotary, bytes: 2 * tokens * (qWidth + kvWidth) * 2)
                default: shape = .elementwise(.activation, bytes: (gated ? 3 : 2) * tokens * mlp * 2)
                }
                let key = "\(gpu)/\(file.deletingLastPathComponent().lastPathComponent)/tp\(Int(tp)) \(column) \(Int(tokens))"
                if runs[key] == nil { order.append(key) }
                runs[key, default: []].append(try number(fields, "time_stats.\(column).median", file, line) * 1e6)
                shapes[key] = shape
            }
        }
        let samples = order.map { key in
            let times = runs[key]!.sorted()
            // Vidur times unfused element-wise operators of older vLLM: a check, not the kernels the tables model.
            return KernelSample(shape: shapes[key]!, measuredNs: times[times.count / 2], group: String(key.split(separator: " ").dropLast().joined(separator: " ")),
                                isVLLMKernel: false)
        }
        return (gpu, samples.filter { $0.measuredNs > 0 })
    }

    /// Vidur's single-node all-reduces (`num_workers` equal to `devices_per_node`); `size` is in bytes.
    private static func vidurAllReduceSamples(_ file: URL) throws(PerfKitError) -> (gpu: String, samples: [KernelSample]) {
        let gpu = try vidurGPU(file, under: "network")
        var samples: [KernelSample] = []
        for (line, fields) in try table(file) {
            let workers = try number(fields, "num_workers", file, line), perNode = try number(fields, "devices_per_node", file, line)
            guard workers == perNode, workers >= 2 else { continue }
            let ns = try number(fields, "time_stats.all_reduce.median", file, line) * 1e6
            guard ns > 0 else { continue }
            samples.append(KernelSample(shape: .allReduce(bytes: try number(fields, "size", file, line), tp: Int(workers)),
                                        measuredNs: ns, group: "\(file.deletingLastPathComponent().lastPathComponent) tp\(Int(workers))"))
        }
        return (gpu, samples)
    }

    /// Square-matmul peaks, one row per measured board: `gpu` (a catalog name), `dtype` (bf16 or fp16, which run at one
    /// tensor rate), `tflops` (the best of sizes 1,024–10,240, taken as 8,192³), and who measured it where.
    private static func matmulPeakSamples(_ file: URL) throws(PerfKitError) -> SamplesByGPU {
        var result: SamplesByGPU = [:]
        let rows = try table(file)
        guard let first = rows.first else {
            throw PerfKitError("no rows: expected a header gpu,dtype,tflops,… and one row per measured board", file: file.path, line: 1)
        }
        for column in ["gpu", "dtype", "tflops"] where first.fields[column] == nil {
            throw PerfKitError("missing column \"\(column)\" in the header", file: file.path, line: 1)
        }
        for (line, fields) in rows {
            guard let gpu = fields["gpu"], !gpu.isEmpty else { throw PerfKitError("column \"gpu\" must name a GPU", file: file.path, line: line) }
            guard let dtype = fields["dtype"], ["bf16", "fp16"].contains(dtype) else {
                throw PerfKitError("column \"dtype\" must be bf16 or fp16, found \"\(fields["dtype"] ?? "")\"", file: file.path, line: line)
            }
            let tflops = try number(fields, "tflops", file, line)
            guard tflops > 0 else { throw PerfKitError("column \"tflops\" must be positive", file: file.path, line: line) }
            let size = 8_192.0
            result[gpu, default: []].append(KernelSample(shape: .squareMatmul(size: size), measuredNs: 2 * size * size * size / (tflops * 1e3),
                                                         group: "\(file.lastPathComponent) \(gpu)", location: "\(file.path):\(line)"))
        }
        return result
    }

    /// The GPU of a Vidur file: the folder after `compute/` (`a100`), or the cluster name's prefix after `network/` (`a100_dgx`).
    private static func vidurGPU(_ file: URL, under root: String) throws(PerfKitError) -> String {
        let parts = file.pathComponents
        guard let index = parts.lastIndex(of: root), index + 1 < parts.count - 1 else {
            throw PerfKitError("a Vidur profile must lie under \(root)/<gpu>/", location: file.path)
        }
        return String(parts[index + 1].split(separator: "_").first ?? "").uppercased()
    }
}
