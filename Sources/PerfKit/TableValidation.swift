import Foundation

/// One validation in progress: rows go in one at a time and findings come out at the end. Per row it keeps a 24-byte
/// key record (for duplicate keys and monotonicity, checked by sorting); coverage and floors need only per-series state.
/// A row whose input or kv_cache does not fit 32 bits (already a key-range error) is left out of the sorted checks.
struct TableValidation {
    private let validator: TableValidator
    private let file: String
    private var log: FindingLog
    private var records: [KeyRecord] = []
    private var series: [Series] = []
    private var seriesIDs: [SeriesName: Int] = [:]
    private var lastSeries: (name: SeriesName, id: Int)?
    private var unknownLayers = Set<String>()
    private var rowCount = 0

    /// `expectedRows` reserves the key records up front, so they are not copied while growing.
    init(_ validator: TableValidator, file: String, expectedRows: Int = 0) {
        self.validator = validator
        self.file = file
        log = FindingLog(maxPerRule: validator.maxFindingsPerRule)
        records.reserveCapacity(expectedRows)
    }

    mutating func add(_ row: LatencyRow) {
        rowCount += 1
        for finding in TableValidator.rowFindings(row, file: file) { log.add(finding) }
        let id = seriesID(row)
        if let input = Int32(exactly: row.input), let kvCache = Int32(exactly: row.kvCache), let line = UInt32(exactly: row.line) {
            records.append(KeyRecord(series: UInt32(id), line: line, input: input, kvCache: kvCache, latencyNs: row.latencyNs))
        }
        guard let layer = series[id].layer else {
            if unknownLayers.insert(row.layerName).inserted {
                log.add(.init(.warning, .unknownLayer, file: file, line: row.line,
                    "layer \"\(row.layerName)\" is not modelled by the simulator; its rows are kept but unused"))
            }
            return
        }
        series[id].record(row)
        if let model = series[id].model, let gpu = series[id].gpu, row.input >= 1, row.kvCache >= 0, row.tp >= 1 {
            checkFloor(row, layer: layer, model: model, gpu: gpu)
        }
    }

    /// Every finding, in (line, rule) order, then notes for rules over the cap.
    mutating func finish() -> [ValidationFinding] {
        guard rowCount > 0 else {
            return [ValidationFinding(.error, .schema, file: file, line: 0, "no rows: a table with only a header has nothing to look up")]
        }
        checkKeysAndKVMonotonicity()
        checkInputMonotonicity()
        records = []
        checkCoverage()
        return log.ordered(file: file)
    }

    private mutating func seriesID(_ row: LatencyRow) -> Int {
        let name = SeriesName(hardware: row.hardware, model: row.model, layer: row.layerName, tp: row.tp)
        if let lastSeries, lastSeries.name == name { return lastSeries.id }
        if let id = seriesIDs[name] {
            lastSeries = (name, id)
            return id
        }
        let id = series.count
        series.append(Series(name: name, layer: LayerName(rawValue: row.layerName),
                             model: validator.models[row.model], gpu: validator.gpus[row.hardware]))
        seriesIDs[name] = id
        lastSeries = (name, id)
        return id
    }

    private mutating func checkFloor(_ row: LatencyRow, layer: LayerName, model: ModelConfig, gpu: GPUSpec) {
        let work = LayerWork.lowerBound(layer: layer, model: model, tp: row.tp, input: row.input, kvCache: row.kvCache)
        let floor = gpu.floorNs(work)
        guard Double(row.latencyNs) < floor.rounded(.down) else { return }
        log.add(.init(.error, .physicalFloor, file: file, line: row.line,
            "\(row.layerName) input=\(row.input) kv_cache=\(row.kvCache) tp=\(row.tp): \(row.latencyNs) ns is below \(gpu.name)'s floor of \(String(format: "%.0f", floor)) ns (max of \(String(format: "%.3g", work.flops)) FLOP at \(gpu.fp16TFLOPS) TFLOP/s and \(String(format: "%.3g", work.bytes)) bytes at \(gpu.memoryBandwidthGBps) GB/s)"))
    }

    /// Sorted by (series, input, kv_cache, line): equal keys are adjacent (duplicates), and each input's kv line is in order.
    private mutating func checkKeysAndKVMonotonicity() {
        records.sort { ($0.series, $0.input, $0.kvCache, $0.line) < ($1.series, $1.input, $1.kvCache, $1.line) }
        var firstOfKey = 0
        for index in records.indices.dropFirst() {
            let previous = records[index - 1], row = records[index]
            guard previous.series == row.series, previous.input == row.input else { firstOfKey = index; continue }
            let name = series[Int(row.series)].name
            if previous.kvCache == row.kvCache {
                log.add(.init(.error, .duplicateKey, file: file, line: Int(row.line),
                    TableValidator.duplicateMessage(model: name.model, layer: name.layer, input: Int(row.input), kvCache: Int(row.kvCache),
                                                    tp: name.tp, firstLine: Int(records[firstOfKey].line))))
            } else {
                firstOfKey = index
                if series[Int(row.series)].layer != nil, row.latencyNs < previous.latencyNs {
                    log.add(.init(.error, .monotoneKV, file: file, line: Int(row.line),
                        "\(name.layer) at input=\(row.input): latency falls from \(previous.latencyNs) ns at kv_cache=\(previous.kvCache) (line \(previous.line)) to \(row.latencyNs) ns at kv_cache=\(row.kvCache)"))
                }
            }
        }
    }

    private mutating func checkInputMonotonicity() {
        records.sort { ($0.series, $0.kvCache, $0.input, $0.line) < ($1.series, $1.kvCache, $1.input, $1.line) }
        for index in records.indices.dropFirst() {
            let previous = records[index - 1], row = records[index]
            guard previous.series == row.series, previous.kvCache == row.kvCache, row.input > previous.input,
                  row.latencyNs < previous.latencyNs, let layer = series[Int(row.series)].layer else { continue }
            // vLLM 0.19 runs a decode as split-KV and its combine, a chunk as one kernel: a short chunk may cost less.
            if layer.isAttention && previous.input == 1 { continue }
            log.add(.init(.error, .monotoneInput, file: file, line: Int(row.line),
                "\(series[Int(row.series)].name.layer) at kv_cache=\(row.kvCache): latency falls from \(previous.latencyNs) ns at input=\(previous.input) (line \(previous.line)) to \(row.latencyNs) ns at input=\(row.input)"))
        }
    }

    /// Per (hardware, model, tp) group, in first-seen order: every layer of the model, over the inputs and decode
    /// kv_cache range the simulator needs; then one warning each for unknown models and GPUs.
    private mutating func checkCoverage() {
        var groups: [GroupName: [Series]] = [:]
        var order: [GroupName] = []
        for entry in series where entry.layer != nil {
            let group = GroupName(hardware: entry.name.hardware, model: entry.name.model, tp: entry.name.tp)
            if groups[group] == nil { order.append(group) }
            groups[group, default: []].append(entry)
        }
        for group in order {
            guard let model = validator.models[group.model], let members = groups[group] else { continue }
            checkCoverage(of: group, members: members, model: model)
        }
        let unknownModels = Set(order.map(\.model)).filter { validator.models[$0] == nil }.sorted()
        if !unknownModels.isEmpty {
            log.add(.init(.warning, .coverage, file: file, line: 0,
                "no model config for \(unknownModels.joined(separator: ", ")): coverage and physical floors not checked"))
        }
        let unknownGPUs = Set(order.map(\.hardware)).filter { validator.gpus[$0] == nil }.sorted()
        if !unknownGPUs.isEmpty {
            log.add(.init(.warning, .physicalFloor, file: file, line: 0,
                "no GPU spec for \(unknownGPUs.joined(separator: ", ")): physical floors not checked"))
        }
    }

    private mutating func checkCoverage(of group: GroupName, members: [Series], model: ModelConfig) {
        let where_ = "\(group.model) tp=\(group.tp) on \(group.hardware)"
        let firstLine = members.map(\.minLine).min() ?? 0
        let decodeContext = model.maxPositionEmbeddings / 2
        for layer in model.layers {
            guard let rows = members.first(where: { $0.name.layer == layer.rawValue }) else {
                log.add(.init(.error, .coverage, file: file, line: firstLine, "\(where_): no rows for layer \(layer.rawValue)"))
                continue
            }
            let needed = min(validator.requiredTokens, layer.isAttention ? model.maxPositionEmbeddings : Int.max)
            if rows.minInput > 1 || rows.maxInput < needed {
                log.add(.init(.error, .coverage, file: file, line: rows.firstLine,
                    "\(where_): \(layer.rawValue) input covers \(rows.minInput)...\(rows.maxInput), needs 1...\(needed)"))
            }
            if layer.isAttention, rows.decodeKV?.lowerBound != 0 || (rows.decodeKV?.upperBound ?? 0) < decodeContext {
                let found = rows.decodeKV.map { "\($0.lowerBound)...\($0.upperBound)" } ?? "none"
                log.add(.init(.error, .coverage, file: file, line: rows.firstLine,
                    "\(where_): \(layer.rawValue) decode rows (input=1) must cover kv_cache 0...\(decodeContext) (half the context); found \(found)"))
            }
        }
    }

    private struct KeyRecord {
        var series: UInt32
        var line: UInt32
        var input: Int32
        var kvCache: Int32
        var latencyNs: Int64
    }

    private struct SeriesName: Hashable { let hardware, model, layer: String; let tp: Int }
    private struct GroupName: Hashable { let hardware, model: String; let tp: Int }

    /// What coverage needs of one (hardware, model, layer, tp) series: where it starts and the key ranges it spans.
    private struct Series {
        let name: SeriesName
        let layer: LayerName?
        let model: ModelConfig?
        let gpu: GPUSpec?
        var firstLine = 0
        var minLine = Int.max
        var minInput = Int.max
        var maxInput = Int.min
        var decodeKV: ClosedRange<Int>?
        var rowCount = 0

        mutating func record(_ row: LatencyRow) {
            if rowCount == 0 { firstLine = row.line }
            rowCount += 1
            minLine = min(minLine, row.line)
            minInput = min(minInput, row.input)
            maxInput = max(maxInput, row.input)
            if row.input == 1 {
                decodeKV = decodeKV.map { min($0.lowerBound, row.kvCache)...max($0.upperBound, row.kvCache) } ?? row.kvCache...row.kvCache
            }
        }
    }
}
