public import Foundation

/// Reads an LLMServingSim profile bundle (`<HW>/<org>/<model>/<variant>/meta.yaml` + `tp<N>/dense.csv`,
/// `per_sequence.csv`, `attention.csv`, µs) strictly: every bad cell, duplicate key or missing file is an error
/// naming `file:line[:column]`.
public enum BundleReader {
    public static let denseColumns = ["layer", "tokens", "time_us"]
    public static let perSequenceColumns = ["layer", "sequences", "time_us"]
    public static let attentionColumns = ["prefill_chunk", "kv_prefill", "n_decode", "kv_decode", "time_us"]

    /// Whether `url` is a bundle's variant folder or a folder holding variant folders.
    public static func isBundle(_ url: URL) -> Bool {
        (try? variantFolder(url)) != nil
    }

    /// The variant folder at `url`: `url` itself when it holds meta.yaml, else its only subfolder that does.
    public static func variantFolder(_ url: URL) throws(PerfKitError) -> URL {
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: url.appendingPathComponent("meta.yaml").path) { return url }
        let children = ((try? fileManager.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
        let variants = children.filter { fileManager.fileExists(atPath: url.appendingPathComponent($0).appendingPathComponent("meta.yaml").path) }
        guard variants.count == 1 else {
            let below = ProfileFolders.find(under: url).map(\.path)
            let peaks = fileManager.fileExists(atPath: url.appendingPathComponent("matmul.csv").path)
                ? "; its matmul.csv (square-matmul peaks) is read by perfkit calibrate" : ""
            let hint = below.isEmpty ? peaks : "; it holds \(below.count) below, give one: \(below.prefix(3).joined(separator: ", "))\(below.count > 3 ? ", …" : "")"
            throw PerfKitError(
                variants.isEmpty
                    ? "not an LLMServingSim bundle (no meta.yaml here or in a variant subfolder) nor a Vidur model folder (compute/<gpu>/<org>/<model>/ holding mlp.csv)\(hint)"
                    : "several variants (\(variants.joined(separator: ", "))): give the variant folder",
                location: url.path)
        }
        return url.appendingPathComponent(variants[0])
    }

    /// The tp degrees that have a `tp<N>/` folder, sorted.
    public static func tpFolders(_ variant: URL) -> [Int] {
        let children = (try? FileManager.default.contentsOfDirectory(atPath: variant.path)) ?? []
        return children.compactMap { $0.hasPrefix("tp") ? Int($0.dropFirst(2)) : nil }.sorted()
    }

    /// Reads the bundle at `url` for `tp`; when `model` is given, meta.yaml must name it (case-insensitively).
    public static func read(_ url: URL, tp: Int, model: String? = nil) throws(PerfKitError) -> MeasuredProfile {
        let variant = try variantFolder(url)
        let meta = try BundleMeta(url: variant.appendingPathComponent("meta.yaml"))
        if let model, !ProfileNames.sameModel(model, meta.model) {
            throw PerfKitError("the bundle was profiled for \(meta.model), not \(model)", file: meta.file, line: meta.modelLine)
        }
        let folders = tpFolders(variant)
        guard folders.contains(tp) else {
            throw PerfKitError(
                "no tp\(tp)/ folder; this bundle has \(folders.isEmpty ? "none" : folders.map { "tp\($0)" }.joined(separator: ", "))",
                location: variant.path)
        }
        let folder = variant.appendingPathComponent("tp\(tp)")
        let dense = try readLayers(folder.appendingPathComponent("dense.csv"), columns: denseColumns)
        let perSequence = try readLayers(folder.appendingPathComponent("per_sequence.csv"), columns: perSequenceColumns)
        let attention = try readAttention(folder.appendingPathComponent("attention.csv"))
        var notes: [String] = []
        let alpha = meta.skewAlphaDefault[tp] ?? 0
        if alpha > 0 {
            let table = meta.skewBucketTables[tp].map { " (\($0) is not read)" } ?? ""
            notes.append("decode-length skew corrected with the bundle's pooled alpha \(alpha) for tp\(tp)\(table)")
        }
        return MeasuredProfile(
            format: .lssBundle, hardware: meta.hardware, modelID: meta.model, tp: tp, source: variant.path,
            dense: dense, perSequence: perSequence, attention: AttentionGrid(points: attention), meta: meta,
            skewAlpha: alpha, notes: notes)
    }

    /// A `layer,<key>,time_us` file as one curve per layer, in first-appearance order.
    static func readLayers(_ url: URL, columns: [String]) throws(PerfKitError) -> [MeasuredProfile.Layer] {
        let csv = try ProfileCSV(url: url, expecting: "columns \(columns.joined(separator: ","))")
        try csv.requireHeader(columns)
        var order: [String] = []
        var points: [String: [(key: Int, ns: Double, line: Int)]] = [:]
        var seen: [String: [Int: Int]] = [:]
        for row in csv.rows {
            let name = csv.text(row, 0)
            guard !name.isEmpty else { throw PerfKitError("layer must not be empty", file: csv.file, line: row.line, column: 1) }
            let key = try csv.count(row, 1)
            let micros = try csv.positiveTime(row, 2)
            if let earlier = seen[name]?[key] {
                throw PerfKitError("duplicate key (\(name), \(columns[1])=\(key)); first at line \(earlier)", file: csv.file, line: row.line)
            }
            if points[name] == nil { order.append(name) }
            seen[name, default: [:]][key] = row.line
            points[name, default: []].append((key, MeasuredCurve.loadedNs(micros: micros), row.line))
        }
        return order.map { name in
            let sorted = points[name]!.sorted { $0.key < $1.key }
            return MeasuredProfile.Layer(
                name: name, curve: MeasuredCurve(keys: sorted.map(\.key), valuesNs: sorted.map(\.ns)),
                file: csv.file, lines: sorted.map(\.line))
        }
    }

    private struct GridKey: Hashable { let prefillChunk, kvPrefill, decodeCount, kvDecode: Int }

    static func readAttention(_ url: URL) throws(PerfKitError) -> [AttentionGrid.Point] {
        let csv = try ProfileCSV(url: url, expecting: "the 4-D attention grid \(attentionColumns.joined(separator: ","))")
        try csv.requireHeader(attentionColumns)
        var seen: [GridKey: Int] = [:]
        seen.reserveCapacity(csv.rows.count)
        var points: [AttentionGrid.Point] = []
        points.reserveCapacity(csv.rows.count)
        for row in csv.rows {
            let key = GridKey(prefillChunk: try csv.count(row, 0), kvPrefill: try csv.count(row, 1), decodeCount: try csv.count(row, 2), kvDecode: try csv.count(row, 3))
            let micros = try csv.positiveTime(row, 4)
            if let first = seen.updateValue(row.line, forKey: key) {
                throw PerfKitError("duplicate key (\(key.prefillChunk),\(key.kvPrefill),\(key.decodeCount),\(key.kvDecode)); first at line \(first)", file: csv.file, line: row.line)
            }
            points.append(.init(prefillChunk: key.prefillChunk, kvPrefill: key.kvPrefill, decodeCount: key.decodeCount, kvDecode: key.kvDecode,
                                ns: MeasuredCurve.loadedNs(micros: micros), line: row.line))
        }
        guard !points.isEmpty else { throw PerfKitError("attention.csv has no rows", file: csv.file, line: 1) }
        return points
    }
}
