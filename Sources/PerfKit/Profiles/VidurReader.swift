public import Foundation

/// Reads a Vidur profile folder (`compute/<gpu>/<org>/<model>/mlp.csv`, microsoft/vidur `data/profiling/`):
/// the median time (ms) of each operator by `num_tokens`, for one `num_tensor_parallel_workers`.
public enum VidurReader {
    /// Vidur's per-block operators (vidur/execution_time_predictor: each runs once per block) and the embedding.
    public static let blockOperators = [
        "input_layernorm", "attn_pre_proj", "attn_rope", "attn_post_proj", "post_attention_layernorm",
        "mlp_up_proj", "mlp_act", "mlp_down_proj", "add",
    ]
    public static let embeddingOperator = "emb"
    /// Model-shape columns of mlp.csv and the config fields they must equal.
    static func shapeColumns(_ model: ModelConfig) -> [(column: String, field: String, value: Int)] {
        [("n_head", "num_attention_heads", model.numAttentionHeads), ("n_kv_head", "num_key_value_heads", model.numKeyValueHeads),
         ("n_embd", "hidden_size", model.hiddenSize), ("n_expanded_embd", "intermediate_size", model.intermediateSize)]
    }

    public static func isVidurFolder(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent("mlp.csv").path)
    }

    /// The GPU and model a folder names by its place: `<gpu>/<org>/<model>`.
    public static func names(_ url: URL) -> (gpu: String, model: String) {
        let parts = url.standardizedFileURL.pathComponents
        let gpu = parts.count >= 3 ? parts[parts.count - 3] : ""
        let model = parts.suffix(2).joined(separator: "/")
        return (gpu, model)
    }

    /// Reads `url` for `tp`; with `model`, the file's shape columns must match its config. Repeated measurements of
    /// one (num_tokens, tp), which Vidur's own files hold, are averaged and reported in `notes`.
    public static func read(_ url: URL, tp: Int, model: ModelConfig? = nil) throws(PerfKitError) -> MeasuredProfile {
        let csv = try ProfileCSV(url: url.appendingPathComponent("mlp.csv"), expecting: "Vidur's operator times (num_tokens, num_tensor_parallel_workers, time_stats.<op>.median in ms)")
        let tokensColumn = try csv.column("num_tokens")
        let tpColumn = try csv.column("num_tensor_parallel_workers")
        let operators = [embeddingOperator] + blockOperators
        var columns: [Int] = []
        for name in operators { columns.append(try csv.column("time_stats.\(name).median")) }
        var shape: [(index: Int, field: String, value: Int)] = []
        if let model {
            for entry in shapeColumns(model) { shape.append((try csv.column(entry.column), entry.field, entry.value)) }
        }
        var sums: [[Int: (total: Double, count: Int, line: Int)]] = Array(repeating: [:], count: operators.count)
        var tpsSeen = Set<Int>()
        var repeated: [Int] = []
        for row in csv.rows {
            let rowTP = try csv.count(row, tpColumn)
            tpsSeen.insert(rowTP)
            guard rowTP == tp else { continue }
            let tokens = try csv.count(row, tokensColumn)
            for entry in shape {
                let value = try csv.count(row, entry.index)
                guard value == entry.value else {
                    throw PerfKitError("\(csv.header[entry.index]) is \(value) but \(model!.id) has \(entry.field) \(entry.value): these operators are another model's",
                                       file: csv.file, line: row.line, column: csv.columnNumber(row, entry.index))
                }
            }
            if sums[0][tokens] != nil { repeated.append(row.line) }
            for (slot, column) in columns.enumerated() {
                let ns = try csv.time(row, column) * 1_000_000
                let previous = sums[slot][tokens] ?? (0, 0, row.line)
                sums[slot][tokens] = (previous.total + ns, previous.count + 1, previous.line)
            }
        }
        guard !sums[0].isEmpty else {
            throw PerfKitError("no rows with num_tensor_parallel_workers = \(tp); the file has \(tpsSeen.sorted().map(String.init).joined(separator: ", "))", location: csv.file)
        }
        let dense = operators.enumerated().map { slot, name in
            let keys = sums[slot].keys.sorted()
            return MeasuredProfile.Layer(
                name: name,
                curve: MeasuredCurve(keys: keys, valuesNs: keys.map { max(1, (sums[slot][$0]!.total / Double(sums[slot][$0]!.count)).rounded()) }),
                file: csv.file, lines: keys.map { sums[slot][$0]!.line })
        }
        var notes: [String] = []
        if !repeated.isEmpty {
            notes.append("\(csv.file): \(repeated.count) repeated measurement(s) of one num_tokens averaged (lines \(repeated.prefix(4).map(String.init).joined(separator: ", "))\(repeated.count > 4 ? ", …" : ""))")
        }
        let names = names(url)
        return MeasuredProfile(
            format: .vidur, hardware: names.gpu, modelID: names.model, tp: tp, source: url.path,
            dense: dense, perSequence: [], attention: nil, meta: nil, skewAlpha: 0, notes: notes)
    }
}
