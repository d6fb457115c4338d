public import Foundation

/// Checks a latency table against the rules of DESIGN.md: keys, positive and monotone latencies,
/// coverage of the grid the simulator needs, and no row faster than the GPU's physical floor.
public struct TableValidator: Sendable {
    /// Model configs for coverage and floor checks; rows of models not found are checked structurally only.
    public var models: [String: ModelConfig]
    /// GPU specs for the floor check.
    public var gpus: [String: GPUSpec]
    /// The largest batch-token count the simulator needs from non-attention rows without extrapolating.
    public var requiredTokens: Int

    public init(models: [ModelConfig] = [], gpus: [GPUSpec] = [], requiredTokens: Int = 8192) {
        self.models = Dictionary(models.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.gpus = Dictionary(gpus.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.requiredTokens = requiredTokens
    }

    /// Loads and checks a file; a file that does not parse yields one `schema` finding.
    public func validate(file url: URL) -> [ValidationFinding] {
        do {
            return validate(try LatencyTable.load(from: url))
        } catch {
            return [ValidationFinding(.error, .schema, file: error.location.isEmpty ? url.path : error.location, line: 0, error.message)]
        }
    }

    /// Token keys past any model's context (16 M tokens) and tensor-parallel degrees past any machine's are errors.
    public static let maxKeyTokens = 1 << 24
    public static let maxTP = 512

    /// Throws at the first row that no command can use: a duplicate key, a latency outside 1 ns...100 s, a key out of
    /// range. Commands that read a table call this; `validate` reports these and every other rule.
    public static func requireUsableRows(_ table: LatencyTable) throws(PerfKitError) {
        var seen: [RowKey: Int] = [:]
        for row in table.rows {
            if let finding = rowFindings(row, file: table.source, seen: &seen).first {
                throw PerfKitError("\(finding.message) (`perfkit validate` lists every problem)", file: table.source, line: row.line)
            }
        }
    }

    /// The rules one row breaks on its own or by repeating an earlier key (recorded in `seen`).
    private static func rowFindings(_ row: LatencyRow, file: String, seen: inout [RowKey: Int]) -> [ValidationFinding] {
        var findings: [ValidationFinding] = []
        let key = RowKey(hardware: row.hardware, model: row.model, layer: row.layerName, input: row.input, kvCache: row.kvCache, tp: row.tp)
        if let first = seen[key] {
            findings.append(.init(.error, .duplicateKey, file: file, line: row.line,
                "duplicate key (\(row.model), \(row.layerName), input=\(row.input), kv_cache=\(row.kvCache), tp=\(row.tp)); first at line \(first)"))
        } else {
            seen[key] = row.line
        }
        if row.latencyNs <= 0 {
            findings.append(.init(.error, .positiveLatency, file: file, line: row.line, "latency(ns) must be positive, found \(row.latencyNs)"))
        } else if row.latencyNs > LatencyRow.maxLatencyNs {
            findings.append(.init(.error, .positiveLatency, file: file, line: row.line,
                "latency(ns) must be at most \(LatencyRow.maxLatencyNs) (100 s), found \(row.latencyNs)"))
        }
        if row.input < 1 || row.kvCache < 0 || row.tp < 1 || row.input > Self.maxKeyTokens || row.kvCache > Self.maxKeyTokens || row.tp > Self.maxTP {
            findings.append(.init(.error, .keyRange, file: file, line: row.line,
                "input must be in 1...\(Self.maxKeyTokens), kv_cache in 0...\(Self.maxKeyTokens) and tp in 1...\(Self.maxTP); found input=\(row.input) kv_cache=\(row.kvCache) tp=\(row.tp)"))
        }
        if let layer = row.layer, !layer.isAttention, row.kvCache != 0 {
            findings.append(.init(.error, .keyRange, file: file, line: row.line, "kv_cache must be 0 for non-attention layer \(row.layerName), found \(row.kvCache)"))
        }
        return findings
    }

    /// Every finding for `table`, errors and warnings, in line order.
    public func validate(_ table: LatencyTable) -> [ValidationFinding] {
        var findings: [ValidationFinding] = []
        let file = table.source
        if table.rows.isEmpty {
            return [ValidationFinding(.error, .schema, file: file, line: 0, "no rows: a table with only a header has nothing to look up")]
        }
        var seen: [RowKey: Int] = [:]
        var unknownLayers = Set<String>()
        var groups: [GroupKey: [LatencyRow]] = [:]
        for row in table.rows {
            findings += Self.rowFindings(row, file: file, seen: &seen)
            guard row.layer != nil else {
                if unknownLayers.insert(row.layerName).inserted {
                    findings.append(.init(.warning, .unknownLayer, file: file, line: row.line,
                        "layer \"\(row.layerName)\" is not modelled by the simulator; its rows are kept but unused"))
                }
                continue
            }
            groups[GroupKey(hardware: row.hardware, model: row.model, tp: row.tp), default: []].append(row)
        }
        for (group, rows) in groups {
            findings += monotonicity(rows, file: file)
            if let model = models[group.model] {
                findings += coverage(rows, model: model, group: group, file: file)
                if let gpu = gpus[group.hardware] { findings += floors(rows, model: model, gpu: gpu, file: file) }
            }
        }
        let unknownModels = Set(groups.keys.map(\.model)).filter { models[$0] == nil }.sorted()
        if !unknownModels.isEmpty {
            findings.append(.init(.warning, .coverage, file: file, line: 0,
                "no model config for \(unknownModels.joined(separator: ", ")): coverage and physical floors not checked"))
        }
        let unknownGPUs = Set(groups.keys.map(\.hardware)).filter { gpus[$0] == nil }.sorted()
        if !unknownGPUs.isEmpty {
            findings.append(.init(.warning, .physicalFloor, file: file, line: 0,
                "no GPU spec for \(unknownGPUs.joined(separator: ", ")): physical floors not checked"))
        }
        return findings.sorted { ($0.line, $0.rule.rawValue) < ($1.line, $1.rule.rawValue) }
    }

    private func monotonicity(_ rows: [LatencyRow], file: String) -> [ValidationFinding] {
        var findings: [ValidationFinding] = []
        var byInputLine: [SeriesKey: [LatencyRow]] = [:]
        var byKVLine: [SeriesKey: [LatencyRow]] = [:]
        for row in rows {
            byInputLine[SeriesKey(layer: row.layerName, fixed: row.kvCache), default: []].append(row)
            byKVLine[SeriesKey(layer: row.layerName, fixed: row.input), default: []].append(row)
        }
        for (key, series) in byInputLine {
            let sorted = series.sorted { $0.input < $1.input }
            for (previous, row) in zip(sorted, sorted.dropFirst()) where row.latencyNs < previous.latencyNs && row.input > previous.input {
                findings.append(.init(.error, .monotoneInput, file: file, line: row.line,
                    "\(key.layer) at kv_cache=\(key.fixed): latency falls from \(previous.latencyNs) ns at input=\(previous.input) (line \(previous.line)) to \(row.latencyNs) ns at input=\(row.input)"))
            }
        }
        for (key, series) in byKVLine {
            let sorted = series.sorted { $0.kvCache < $1.kvCache }
            for (previous, row) in zip(sorted, sorted.dropFirst()) where row.latencyNs < previous.latencyNs && row.kvCache > previous.kvCache {
                findings.append(.init(.error, .monotoneKV, file: file, line: row.line,
                    "\(key.layer) at input=\(key.fixed): latency falls from \(previous.latencyNs) ns at kv_cache=\(previous.kvCache) (line \(previous.line)) to \(row.latencyNs) ns at kv_cache=\(row.kvCache)"))
            }
        }
        return findings
    }

    private func coverage(_ rows: [LatencyRow], model: ModelConfig, group: GroupKey, file: String) -> [ValidationFinding] {
        var findings: [ValidationFinding] = []
        let where_ = "\(group.model) tp=\(group.tp) on \(group.hardware)"
        let firstLine = rows.map(\.line).min() ?? 0
        var byLayer: [String: [LatencyRow]] = [:]
        for row in rows { byLayer[row.layerName, default: []].append(row) }
        let decodeContext = model.maxPositionEmbeddings / 2
        for layer in model.layers {
            guard let layerRows = byLayer[layer.rawValue] else {
                findings.append(.init(.error, .coverage, file: file, line: firstLine, "\(where_): no rows for layer \(layer.rawValue)"))
                continue
            }
            let inputs = layerRows.map(\.input)
            let needed = min(requiredTokens, layer.isAttention ? model.maxPositionEmbeddings : Int.max)
            if inputs.min()! > 1 || inputs.max()! < needed {
                findings.append(.init(.error, .coverage, file: file, line: layerRows[0].line,
                    "\(where_): \(layer.rawValue) input covers \(inputs.min()!)...\(inputs.max()!), needs 1...\(needed)"))
            }
            if layer.isAttention {
                let decodeKV = layerRows.filter { $0.input == 1 }.map(\.kvCache)
                if decodeKV.min() != 0 || (decodeKV.max() ?? 0) < decodeContext {
                    findings.append(.init(.error, .coverage, file: file, line: layerRows[0].line,
                        "\(where_): \(layer.rawValue) decode rows (input=1) must cover kv_cache 0...\(decodeContext) (half the context); found \(decodeKV.isEmpty ? "none" : "\(decodeKV.min()!)...\(decodeKV.max()!)")"))
                }
            }
        }
        return findings
    }

    private func floors(_ rows: [LatencyRow], model: ModelConfig, gpu: GPUSpec, file: String) -> [ValidationFinding] {
        rows.compactMap { row in
            guard let layer = row.layer, row.input >= 1, row.kvCache >= 0, row.tp >= 1 else { return nil }
            let work = LayerWork.lowerBound(layer: layer, model: model, tp: row.tp, input: row.input, kvCache: row.kvCache)
            let floor = gpu.floorNs(work)
            guard Double(row.latencyNs) < floor.rounded(.down) else { return nil }
            return .init(.error, .physicalFloor, file: file, line: row.line,
                "\(row.layerName) input=\(row.input) kv_cache=\(row.kvCache) tp=\(row.tp): \(row.latencyNs) ns is below \(gpu.name)'s floor of \(String(format: "%.0f", floor)) ns (max of \(String(format: "%.3g", work.flops)) FLOP at \(gpu.fp16TFLOPS) TFLOP/s and \(String(format: "%.3g", work.bytes)) bytes at \(gpu.memoryBandwidthGBps) GB/s)")
        }
    }

    private struct RowKey: Hashable { let hardware, model, layer: String; let input, kvCache, tp: Int }
    private struct GroupKey: Hashable { let hardware, model: String; let tp: Int }
    private struct SeriesKey: Hashable { let layer: String; let fixed: Int }
}
