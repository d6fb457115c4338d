public import Foundation

/// Resolves `--profile PATH|measured` (or `--table FILE`, or neither) into a latency source for one model on one
/// GPU at one tp: PATH is a bundle folder (variant or its parent), a Vidur model folder, or one of our CSVs;
/// `measured` is the entry of `profiles/measured/` for the GPU, model and tp.
public struct LatencySourceLoader: Sendable {
    public let data: DataDirectory

    public init(data: DataDirectory) { self.data = data }

    /// The folder of the shipped measured profiles.
    public var measuredFolder: URL { data.url.appendingPathComponent("profiles/measured") }

    public func source(profile: String?, tableFile: String? = nil, model: ModelConfig, gpu: GPUSpec, tp: Int) throws(PerfKitError) -> any LatencySource {
        if profile != nil, tableFile != nil {
            throw PerfKitError("give --profile or --table, not both (--profile also takes one of our CSV files)")
        }
        guard let profile else { return try table(file: tableFile, model: model, gpu: gpu, tp: tp) }
        if profile == "measured" {
            guard let url = measured(gpu: gpu.name, model: model, tp: tp) else {
                let shipped = shippedProfiles().map { "\($0.hardware) \($0.model) tp\($0.tps.map(String.init).joined(separator: ","))" }
                throw PerfKitError(
                    "no measured profile for \(model.id) on \(gpu.name) at tp=\(tp); shipped: \(shipped.joined(separator: "; "))",
                    location: measuredFolder.path)
            }
            return try source(path: url, model: model, gpu: gpu, tp: tp)
        }
        return try source(path: URL(fileURLWithPath: profile), model: model, gpu: gpu, tp: tp)
    }

    /// The GPU and model a `--profile` bundle folder was measured for (its meta.yaml), so a command given only the
    /// bundle runs what it measured; nil for `measured`, Vidur folders, CSVs and paths that are not bundles.
    public static func bundleIdentity(profile: String?) -> (hardware: String, model: String)? {
        guard let profile, profile != "measured",
              let variant = try? BundleReader.variantFolder(URL(fileURLWithPath: profile)),
              let meta = try? BundleMeta(url: variant.appendingPathComponent("meta.yaml")) else { return nil }
        return (meta.hardware, meta.model)
    }

    /// `model` and `hardware` as given, else what a `profile` bundle measured (the model as `models` spells it); `note`
    /// says what the bundle gave, for the user. Either stays nil when neither names it.
    public static func identity(model: String?, hardware: String?, profile: String?, models: ModelCatalog)
        -> (model: String?, hardware: String?, note: String?) {
        guard let measured = bundleIdentity(profile: profile), model == nil || hardware == nil else { return (model, hardware, nil) }
        let bundleModel = models.models.first { ProfileNames.sameModel($0.id, measured.model) }?.id ?? measured.model
        let taken = [model == nil ? "model \(bundleModel)" : nil, hardware == nil ? "hardware \(measured.hardware)" : nil].compactMap { $0 }
        return (model ?? bundleModel, hardware ?? measured.hardware, "\(taken.joined(separator: " and ")) from the bundle's meta.yaml")
    }

    /// A source from a path: a bundle folder, a Vidur folder or one of our CSVs.
    public func source(path url: URL, model: ModelConfig, gpu: GPUSpec, tp: Int) throws(PerfKitError) -> any LatencySource {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw PerfKitError("no such file or folder: expected a bundle folder, a Vidur model folder, one of our CSVs or \"measured\"", location: url.path)
        }
        guard isFolder.boolValue else { return try table(file: url.path, model: model, gpu: gpu, tp: tp) }
        if VidurReader.isVidurFolder(url) {
            let profile = try VidurReader.read(url, tp: tp, model: model)
            guard ProfileNames.sameGPU(profile.hardware, gpu.name) else {
                throw PerfKitError("this Vidur folder was measured on \(profile.hardware), not \(gpu.name): pass --hardware accordingly", location: url.path)
            }
            let fallback = try tableCost(file: nil, model: model, gpu: gpu, tp: tp)
            return try MeasuredLatencySource(profile: profile, model: model, gpu: gpu, fallback: fallback.table)
        }
        let profile = try BundleReader.read(url, tp: tp, model: model.id)
        if let meta = profile.meta, !ProfileNames.sameGPU(meta.hardware, gpu.name) {
            throw PerfKitError("the bundle was measured on \(meta.hardware), not \(gpu.name): pass --hardware \(meta.hardware)", file: meta.file, line: meta.yaml.line("hardware"))
        }
        return try MeasuredLatencySource(profile: profile, model: model, gpu: gpu)
    }

    /// Our CSV (`file`, else perf_model/<GPU>.csv) compiled for the model.
    public func table(file: String?, model: ModelConfig, gpu: GPUSpec, tp: Int) throws(PerfKitError) -> any LatencySource {
        try tableCost(file: file, model: model, gpu: gpu, tp: tp)
    }

    func tableCost(file: String?, model: ModelConfig, gpu: GPUSpec, tp: Int) throws(PerfKitError) -> IterationCost {
        let url = file.map { URL(fileURLWithPath: $0) } ?? data.tableURL(hardware: gpu.name)
        let table = try LatencyTable.load(from: url)
        try TableValidator.requireUsableRows(table)
        let compiled = try ModelLatencyTable(table: table, model: model, tp: tp, hardware: gpu.name)
        return IterationCost(table: compiled, gpu: gpu, provenance: "latency table \(url.path)")
    }

    /// One shipped profile: where, for which GPU and model, at which tp degrees.
    public struct Shipped: Sendable {
        public var url: URL
        public var format: MeasuredProfile.Format
        public var hardware: String
        public var model: String
        public var tps: [Int]
    }

    /// Every profile under `profiles/measured/`, bundles first.
    public func shippedProfiles() -> [Shipped] {
        var found: [Shipped] = []
        let fileManager = FileManager.default
        func children(_ url: URL) -> [String] { ((try? fileManager.contentsOfDirectory(atPath: url.path)) ?? []).sorted() }
        let bundles = measuredFolder.appendingPathComponent("LLMServingSim")
        for hardware in children(bundles) {
            for org in children(bundles.appendingPathComponent(hardware)) {
                for name in children(bundles.appendingPathComponent("\(hardware)/\(org)")) {
                    let modelFolder = bundles.appendingPathComponent("\(hardware)/\(org)/\(name)")
                    for variant in children(modelFolder) where fileManager.fileExists(atPath: modelFolder.appendingPathComponent("\(variant)/meta.yaml").path) {
                        let url = modelFolder.appendingPathComponent(variant)
                        found.append(Shipped(url: url, format: .lssBundle, hardware: hardware, model: "\(org)/\(name)", tps: BundleReader.tpFolders(url)))
                    }
                }
            }
        }
        let vidur = measuredFolder.appendingPathComponent("vidur/compute")
        for gpu in children(vidur) {
            for org in children(vidur.appendingPathComponent(gpu)) {
                for name in children(vidur.appendingPathComponent("\(gpu)/\(org)")) {
                    let url = vidur.appendingPathComponent("\(gpu)/\(org)/\(name)")
                    if VidurReader.isVidurFolder(url) {
                        found.append(Shipped(url: url, format: .vidur, hardware: gpu, model: "\(org)/\(name)", tps: shippedTPs(vidur: url)))
                    }
                }
            }
        }
        return found
    }

    /// The shipped profile for (gpu, model, tp), or nil: the one measured for the model, else a Vidur profile measured
    /// for another model of the same shape (Vidur's `Llama-2-70b-hf` operators are Llama-3.1-70B's).
    public func measured(gpu: String, model: ModelConfig, tp: Int) -> URL? {
        let candidates = shippedProfiles().filter { ProfileNames.sameGPU($0.hardware, gpu) && $0.tps.contains(tp) }
        if let named = candidates.first(where: { ProfileNames.sameModel($0.model, model.id) }) { return named.url }
        return candidates.first { $0.format == .vidur && (try? VidurReader.read($0.url, tp: tp, model: model)) != nil }?.url
    }

    /// The tp degrees (`num_tensor_parallel_workers`) a Vidur folder's mlp.csv holds.
    public func shippedTPs(vidur url: URL) -> [Int] {
        guard let csv = try? ProfileCSV(url: url.appendingPathComponent("mlp.csv"), expecting: ""),
              let column = try? csv.column("num_tensor_parallel_workers") else { return [] }
        return Set(csv.rows.compactMap { try? csv.count($0, column) }).sorted()
    }
}
