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
    /// Findings listed per rule (those at the lowest lines); the rest are counted in one note, so memory stays bounded.
    public var maxFindingsPerRule: Int

    public init(models: [ModelConfig] = [], gpus: [GPUSpec] = [], requiredTokens: Int = 8192, maxFindingsPerRule: Int = 1000) {
        self.models = Dictionary(models.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.gpus = Dictionary(gpus.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.requiredTokens = requiredTokens
        self.maxFindingsPerRule = maxFindingsPerRule
    }

    /// Streams and checks a file without loading its rows; a file that does not parse yields one `schema` finding.
    public func validate(file url: URL) -> [ValidationFinding] {
        let fileBytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        var validation = TableValidation(self, file: url.path, expectedRows: fileBytes / 32)
        do {
            try LatencyCSVStream.forEachRow(in: url) { validation.add($0) }
        } catch {
            return [ValidationFinding(.error, .schema, file: error.location.isEmpty ? url.path : error.location, line: 0, error.message)]
        }
        return validation.finish()
    }

    /// Every finding for `table`, errors and warnings, in line order.
    public func validate(_ table: LatencyTable) -> [ValidationFinding] {
        var validation = TableValidation(self, file: table.source, expectedRows: table.rows.count)
        for row in table.rows { validation.add(row) }
        return validation.finish()
    }

    /// Token keys past any model's context (16 M tokens) and tensor-parallel degrees past any machine's are errors.
    public static let maxKeyTokens = 1 << 24
    public static let maxTP = 512

    /// Throws at the first row that no command can use: a duplicate key, a latency outside 1 ns...100 s, a key out of
    /// range. Commands that read a table call this; `validate` reports these and every other rule.
    public static func requireUsableRows(_ table: LatencyTable) throws(PerfKitError) {
        var seen: [RowKey: Int] = [:]
        for row in table.rows {
            let key = RowKey(hardware: row.hardware, model: row.model, layer: row.layerName, input: row.input, kvCache: row.kvCache, tp: row.tp)
            let message: String?
            if let first = seen[key] {
                message = duplicateMessage(model: row.model, layer: row.layerName, input: row.input, kvCache: row.kvCache, tp: row.tp, firstLine: first)
            } else {
                seen[key] = row.line
                message = rowFindings(row, file: table.source).first?.message
            }
            if let message {
                throw PerfKitError("\(message) (`perfkit validate` lists every problem)", file: table.source, line: row.line)
            }
        }
    }

    static func duplicateMessage(model: String, layer: String, input: Int, kvCache: Int, tp: Int, firstLine: Int) -> String {
        "duplicate key (\(model), \(layer), input=\(input), kv_cache=\(kvCache), tp=\(tp)); first at line \(firstLine)"
    }

    /// The rules one row breaks on its own: latency and key ranges.
    static func rowFindings(_ row: LatencyRow, file: String) -> [ValidationFinding] {
        var findings: [ValidationFinding] = []
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

    private struct RowKey: Hashable { let hardware, model, layer: String; let input, kvCache, tp: Int }
}
