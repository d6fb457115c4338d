/// Derives a table for another GPU from an existing one.
public enum TableExtender {
    /// Every latency divided by `factor` (the original LLMServingSim's rule), hardware renamed to `target`.
    public static func extend(_ table: LatencyTable, to target: String, factor: Double) throws(PerfKitError) -> LatencyTable {
        guard factor > 0, factor.isFinite else {
            throw PerfKitError("factor must be a positive number, found \(factor)")
        }
        try TableValidator.requireUsableRows(table)
        var result = table
        for index in result.rows.indices {
            result.rows[index].hardware = target
            result.rows[index].latencyNs = try scaled(table.rows[index], by: 1 / factor, table: table, rounding: .toNearestOrAwayFromZero)
        }
        return result
    }

    /// The row's latency × `ratio`, at least 1 ns; a result past the 100 s a row may take is an error, not a trap.
    private static func scaled(_ row: LatencyRow, by ratio: Double, table: LatencyTable, rounding: FloatingPointRoundingRule) throws(PerfKitError) -> Int64 {
        let value = (Double(row.latencyNs) * ratio).rounded(rounding)
        guard value <= Double(LatencyRow.maxLatencyNs) else {
            throw PerfKitError("scaling \(row.latencyNs) ns by \(ratio) gives \(value) ns, past the \(LatencyRow.maxLatencyNs) ns (100 s) a row may take",
                               file: table.source, line: row.line)
        }
        return max(1, Int64(value))
    }

    /// Roofline-aware: each row scales by its own bound, the FLOP ratio where compute-bound and the
    /// bandwidth ratio where memory-bound, judged from the row's work on the two GPUs' specs.
    public static func extend(
        _ table: LatencyTable, from source: GPUSpec, to target: GPUSpec, models: ModelCatalog
    ) throws(PerfKitError) -> LatencyTable {
        try TableValidator.requireUsableRows(table)
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
            func modelled(_ gpu: GPUSpec) -> Double {
                gpu.modelledNs(layer: layer, model: model, tp: row.tp, input: row.input, kvCache: row.kvCache)
            }
            let ratio = modelled(target) / modelled(source)
            result.rows[index].hardware = target.name
            result.rows[index].latencyNs = try scaled(row, by: ratio, table: table, rounding: .up)
        }
        return result
    }
}
