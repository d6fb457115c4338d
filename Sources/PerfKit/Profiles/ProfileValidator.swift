public import Foundation

/// `perfkit validate` for measured profiles: an LLMServingSim bundle (schema, duplicate keys, coverage the
/// scheduler needs, monotonicity, physical floor) or a Vidur folder (the same on its operators).
public struct ProfileValidator: Sendable {
    public let models: [ModelConfig]
    public let gpus: [GPUSpec]
    /// A drop of more than this fraction from one key to the next is reported (measured curves are noisy).
    public static let monotoneTolerance = 0.1
    /// Datasheet peaks assume the rated boost clock; cards under GPU Boost run a few percent above it, so a measured
    /// row this close under the floor is a warning, not an error.
    public static let boostClockTolerance = 0.03

    public init(models: [ModelConfig], gpus: [GPUSpec]) {
        self.models = models
        self.gpus = gpus
    }

    /// Whether `url` is a folder this validator reads.
    public static func accepts(_ url: URL) -> Bool { VidurReader.isVidurFolder(url) || BundleReader.isBundle(url) }

    public func validate(folder url: URL) -> [ValidationFinding] {
        VidurReader.isVidurFolder(url) ? validateVidur(url) : validateBundle(url)
    }

    // MARK: Bundles

    func validateBundle(_ url: URL) -> [ValidationFinding] {
        let variant: URL
        let meta: BundleMeta
        do throws(PerfKitError) {
            variant = try BundleReader.variantFolder(url)
            meta = try BundleMeta(url: variant.appendingPathComponent("meta.yaml"))
        } catch {
            return [Self.finding(error, file: url.path)]
        }
        var findings: [ValidationFinding] = []
        let model = models.first { ProfileNames.sameModel($0.id, meta.model) }
        let gpu = gpus.first { ProfileNames.sameGPU($0.name, meta.hardware) }
        if model == nil {
            findings.append(.init(.warning, .coverage, file: meta.file, line: meta.modelLine, "no model config for \(meta.model) in model_configs/: coverage and physical floors are not checked"))
        }
        if gpu == nil {
            findings.append(.init(.warning, .physicalFloor, file: meta.file, line: meta.yaml.line("hardware"), "no GPU \(meta.hardware) in hardware/gpus.json: physical floors are not checked"))
        }
        let folders = BundleReader.tpFolders(variant)
        for tp in meta.tpDegrees where !folders.contains(tp) {
            findings.append(.init(.error, .coverage, file: meta.file, line: meta.yaml.line("tp_degrees"), "tp_degrees lists \(tp) but there is no tp\(tp)/ folder"))
        }
        for tp in folders where !meta.tpDegrees.contains(tp) {
            findings.append(.init(.warning, .coverage, file: variant.appendingPathComponent("tp\(tp)").path, line: 0, "tp\(tp)/ is not in meta.yaml's tp_degrees"))
        }
        let catalog = model.flatMap { BundleCatalog.of($0.family) }
        for tp in folders {
            let folder = variant.appendingPathComponent("tp\(tp)")
            var dense: [MeasuredProfile.Layer] = []
            var perSequence: [MeasuredProfile.Layer] = []
            do throws(PerfKitError) {
                dense = try BundleReader.readLayers(folder.appendingPathComponent("dense.csv"), columns: BundleReader.denseColumns)
            } catch { findings.append(Self.finding(error, file: folder.appendingPathComponent("dense.csv").path)) }
            do throws(PerfKitError) {
                perSequence = try BundleReader.readLayers(folder.appendingPathComponent("per_sequence.csv"), columns: BundleReader.perSequenceColumns)
            } catch { findings.append(Self.finding(error, file: folder.appendingPathComponent("per_sequence.csv").path)) }
            var points: [AttentionGrid.Point] = []
            do throws(PerfKitError) {
                points = try BundleReader.readAttention(folder.appendingPathComponent("attention.csv"))
            } catch { findings.append(Self.finding(error, file: folder.appendingPathComponent("attention.csv").path)) }
            if let catalog {
                findings += coverage(dense, needed: catalog.denseLayers, bound: meta.maxNumBatchedTokens, file: folder.appendingPathComponent("dense.csv").path, what: "max_num_batched_tokens")
                findings += coverage(perSequence, needed: catalog.perSequence, bound: meta.maxNumSeqs, file: folder.appendingPathComponent("per_sequence.csv").path, what: "max_num_seqs")
            }
            findings += attentionCoverage(points, model: model, file: folder.appendingPathComponent("attention.csv").path)
            findings += (dense + perSequence).flatMap(Self.monotonicity)
            findings += attentionMonotonicity(points, file: folder.appendingPathComponent("attention.csv").path)
            if let model, let gpu {
                for layer in dense + perSequence {
                    guard let ours = ProfileFloor.layers(ofBundleLayer: layer.name) else { continue }
                    findings += floors(layer, ours: ours, model: model, gpu: gpu, tp: tp)
                }
                for point in points {
                    let work = ProfileFloor.attentionWork(point, model: model, tp: tp)
                    if let finding = floorFinding(ns: point.ns, work: work, gpu: gpu, file: folder.appendingPathComponent("attention.csv").path, line: point.line,
                                                  what: "attention (\(point.prefillChunk),\(point.kvPrefill),\(point.decodeCount),\(point.kvDecode))") {
                        findings.append(finding)
                    }
                }
            }
        }
        return findings
    }

    private func coverage(_ layers: [MeasuredProfile.Layer], needed: [String], bound: Int?, file: String, what: String) -> [ValidationFinding] {
        guard !layers.isEmpty else { return [] }
        var findings: [ValidationFinding] = []
        for name in needed where !layers.contains(where: { $0.name == name }) {
            findings.append(.init(.error, .coverage, file: file, line: 0, "lacks layer \(name), which the forward pass needs"))
        }
        for layer in layers {
            if !needed.contains(layer.name) {
                findings.append(.init(.warning, .unknownLayer, file: file, line: layer.line, "layer \(layer.name) is not in the model's catalog; the simulator does not use it"))
            }
            if layer.curve.lowerBound > 1 {
                findings.append(.init(.warning, .coverage, file: file, line: layer.line, "\(layer.name) starts at \(layer.curve.lowerBound); smaller batches are clamped to it"))
            }
            if let bound, layer.curve.upperBound < bound {
                findings.append(.init(.warning, .coverage, file: file, line: layer.line, "\(layer.name) reaches \(layer.curve.upperBound), below meta.yaml's \(what) \(bound); larger batches extrapolate"))
            }
        }
        return findings
    }

    private func attentionCoverage(_ points: [AttentionGrid.Point], model: ModelConfig?, file: String) -> [ValidationFinding] {
        guard !points.isEmpty else { return [] }
        var findings: [ValidationFinding] = []
        if !points.contains(where: { $0.prefillChunk == 0 && $0.decodeCount > 0 }) {
            findings.append(.init(.error, .coverage, file: file, line: 0, "no pure-decode points (prefill_chunk 0, n_decode > 0)"))
        }
        if !points.contains(where: { $0.prefillChunk > 0 && $0.decodeCount == 0 }) {
            findings.append(.init(.error, .coverage, file: file, line: 0, "no pure-prefill points (n_decode 0, prefill_chunk > 0)"))
        }
        let kvTop = points.map { max($0.kvDecode, $0.kvPrefill) }.max() ?? 0
        if let model, kvTop < model.maxPositionEmbeddings {
            findings.append(.init(.warning, .coverage, file: file, line: 0, "cached-token axes reach \(kvTop), below \(model.id)'s context of \(model.maxPositionEmbeddings); longer contexts extrapolate"))
        }
        return findings
    }

    /// One warning per layer that falls by more than the tolerance somewhere: how often, and the worst drop.
    static func monotonicity(_ layer: MeasuredProfile.Layer) -> [ValidationFinding] {
        var drops = 0
        var worst = (fraction: 0.0, line: 0, key: 0)
        let values = layer.curve.valuesNs
        for index in values.indices.dropFirst() {
            let fraction = (values[index - 1] - values[index]) / values[index - 1]
            guard fraction > monotoneTolerance else { continue }
            drops += 1
            if fraction > worst.fraction { worst = (fraction, layer.lines[index], layer.curve.keys[index]) }
        }
        guard drops > 0 else { return [] }
        return [.init(.warning, .monotoneInput, file: layer.file, line: worst.line,
                      "\(layer.name) falls by more than \(Int(monotoneTolerance * 100)) % \(drops) time(s); the largest, \(Int((worst.fraction * 100).rounded())) %, at \(worst.key) (measurement noise is interpolated as measured)")]
    }

    private func attentionMonotonicity(_ points: [AttentionGrid.Point], file: String) -> [ValidationFinding] {
        var byRow: [[Int]: [AttentionGrid.Point]] = [:]
        for point in points { byRow[[point.prefillChunk, point.kvPrefill, point.decodeCount], default: []].append(point) }
        var drops = 0
        var worst: (fraction: Double, point: AttentionGrid.Point)?
        for row in byRow.values {
            let sorted = row.sorted { $0.kvDecode < $1.kvDecode }
            for (previous, point) in zip(sorted, sorted.dropFirst()) {
                let fraction = (previous.ns - point.ns) / previous.ns
                guard fraction > Self.monotoneTolerance else { continue }
                drops += 1
                if fraction > (worst?.fraction ?? 0) { worst = (fraction, point) }
            }
        }
        guard let worst else { return [] }
        return [.init(.warning, .monotoneKV, file: file, line: worst.point.line,
                      "attention falls by more than \(Int(Self.monotoneTolerance * 100)) % along kv_decode \(drops) time(s); the largest, \(Int((worst.fraction * 100).rounded())) %, here")]
    }

    private func floors(_ layer: MeasuredProfile.Layer, ours: [LayerName], model: ModelConfig, gpu: GPUSpec, tp: Int) -> [ValidationFinding] {
        zip(layer.curve.keys, zip(layer.curve.valuesNs, layer.lines)).compactMap { key, entry in
            floorFinding(ns: entry.0, work: ProfileFloor.work(ours, model: model, tp: tp, tokens: key), gpu: gpu,
                         file: layer.file, line: entry.1, what: "\(layer.name) at \(key)")
        }
    }

    /// An error below the floor; a warning when only the bandwidth floor is broken and the bytes fit in L2.
    func floorFinding(ns: Double, work: LayerWork, gpu: GPUSpec, file: String, line: Int, what: String) -> ValidationFinding? {
        let floor = gpu.floorNs(work)
        guard ns < floor.rounded(.down) else { return nil }
        let detail = "\(what): \(Int(ns)) ns is below \(gpu.name)'s floor of \(String(format: "%.0f", floor)) ns (\(String(format: "%.3g", work.flops)) FLOP at \(gpu.fp16TFLOPS) TFLOP/s, \(String(format: "%.3g", work.bytes)) bytes at \(gpu.memoryBandwidthGBps) GB/s)"
        if ns >= work.flops / gpu.peakFlopsPerNs, work.bytes <= ProfileFloor.l2Bytes(gpu: gpu.name) {
            return .init(.warning, .physicalFloor, file: file, line: line, detail + "; the bytes fit in its L2, so this can be an L2-resident measurement")
        }
        if ns >= floor * (1 - Self.boostClockTolerance) {
            return .init(.warning, .physicalFloor, file: file, line: line, detail + "; within \(Int(Self.boostClockTolerance * 100)) %, which a card boosting above the datasheet's rated clock reaches")
        }
        return .init(.error, .physicalFloor, file: file, line: line, detail)
    }

    // MARK: Vidur

    func validateVidur(_ url: URL) -> [ValidationFinding] {
        let csv: ProfileCSV
        let shape: [Int]
        let tps: [Int]
        do throws(PerfKitError) {
            csv = try ProfileCSV(url: url.appendingPathComponent("mlp.csv"), expecting: "Vidur's operator times")
            let tpColumn = try csv.column("num_tensor_parallel_workers")
            var seen = Set<Int>()
            for row in csv.rows { seen.insert(try csv.count(row, tpColumn)) }
            tps = seen.sorted()
            let columns = ["n_head", "n_kv_head", "n_embd", "n_expanded_embd"]
            var values: [Int] = []
            for name in columns {
                let index = try csv.column(name)
                values.append(try csv.rows.first.map { row throws(PerfKitError) in try csv.count(row, index) } ?? 0)
            }
            shape = values
        } catch {
            return [Self.finding(error, file: url.appendingPathComponent("mlp.csv").path)]
        }
        var findings: [ValidationFinding] = []
        let model = models.first { [$0.numAttentionHeads, $0.numKeyValueHeads, $0.hiddenSize, $0.intermediateSize] == shape }
        let names = VidurReader.names(url)
        let gpu = gpus.first { ProfileNames.sameGPU($0.name, names.gpu) }
        if model == nil {
            findings.append(.init(.warning, .coverage, file: csv.file, line: 2, "no model config in model_configs/ has this file's shape (n_head, n_kv_head, n_embd, n_expanded_embd = \(shape.map(String.init).joined(separator: ", "))): physical floors are not checked"))
        }
        if gpu == nil {
            findings.append(.init(.warning, .physicalFloor, file: csv.file, line: 0, "no GPU \(names.gpu) in hardware/gpus.json: physical floors are not checked"))
        }
        findings.append(.init(.warning, .coverage, file: csv.file, line: 0, "no attention.csv is read: attention, final norm and lm_head come from our table for the GPU"))
        for tp in tps {
            let profile: MeasuredProfile
            do throws(PerfKitError) {
                profile = try VidurReader.read(url, tp: tp, model: model)
            } catch {
                findings.append(Self.finding(error, file: csv.file))
                continue
            }
            for note in profile.notes {
                findings.append(.init(.warning, .duplicateKey, file: csv.file, line: 0, "tp \(tp): " + note.replacingOccurrences(of: csv.file + ": ", with: "")))
            }
            findings += profile.dense.flatMap(Self.monotonicity)
            if let model, let gpu {
                for layer in profile.dense {
                    guard let ours = ProfileFloor.layers(ofVidurOperator: layer.name) else { continue }
                    findings += floors(layer, ours: ours, model: model, gpu: gpu, tp: tp)
                }
            }
        }
        return findings
    }

    static func finding(_ error: PerfKitError, file: String) -> ValidationFinding {
        let rule: ValidationFinding.Rule = error.message.contains("duplicate key") ? .duplicateKey
            : error.message.contains("must not be negative") || error.message.contains("must be positive") ? .positiveLatency : .schema
        let parts = error.location.split(separator: ":")
        let line = parts.count >= 2 ? Int(parts[1]) ?? 0 : 0
        let location = parts.first.map(String.init) ?? file
        return .init(.error, rule, file: location.isEmpty ? file : location, line: line, error.message)
    }
}
