/// Derives a table for another GPU from an existing one.
public enum TableExtender {
    /// Every latency divided by `factor` (the original LLMServingSim's rule), hardware renamed to `target`.
    public static func extend(_ table: LatencyTable, to target: String, factor: Double) throws(PerfKitError) -> LatencyTable {
        guard factor > 0, factor.isFinite else {
            throw PerfKitError("factor must be a positive number, found \(factor)")
        }
        var result = table
        for index in result.rows.indices {
            result.rows[index].hardware = target
            result.rows[index].latencyNs = max(1, Int64((Double(table.rows[index].latencyNs) / factor).rounded()))
        }
        return result
    }

    /// Roofline-aware: each row scales by its own bound, the FLOP ratio where compute-bound and the
    /// bandwidth ratio where memory-bound, judged from the row's work on the two GPUs' specs.
    public static func extend(
        _ table: LatencyTable, from source: GPUSpec, to target: GPUSpec, models: ModelCatalog
    ) throws(PerfKitError) -> LatencyTable {
        var result = table
        var configs: [String: ModelConfig] = [:]
        for index in result.rows.indices {
            let row = table.rows[index]
            guard let layer = row.layer else {
                throw PerfKitError("layer \"\(row.layerName)\" is not modelled; use a factor to extend this table", file: table.source, line: row.line)
            }
            let model: ModelConfig
            if let cached = configs[row.model] {
                model = cached
            } else {
                model = try models.model(row.model)
                configs[row.model] = model
            }
            let work = LayerWork(layer: layer, model: model, tp: row.tp, input: row.input, kvCache: row.kvCache)
            let ratio = target.modelledNs(work) / source.modelledNs(work)
            result.rows[index].hardware = target.name
            result.rows[index].latencyNs = max(1, Int64((Double(row.latencyNs) * ratio).rounded(.up)))
        }
        return result
    }
}
