public import Foundation

/// The fields of an LLMServingSim bundle's `meta.yaml` that this package reads (contract:
/// casys-kaist/LLMServingSim `docs/docs/profiler/output-bundle.md`); the rest is provenance kept as text.
public struct BundleMeta: Sendable {
    public let file: String
    /// The `--hardware` label the bundle was profiled under (`RTX4090`), and the driver's device name.
    public let hardware: String
    public let gpuName: String?
    /// The Hugging Face id that was profiled (`meta-llama/Llama-3.1-8B`) and its line in the file.
    public let model: String
    public let modelLine: Int
    public let variant: String
    public let architecture: String?
    public let tpDegrees: [Int]
    /// The sweep bounds: lookups past them extrapolate.
    public let maxNumBatchedTokens: Int?
    public let maxNumSeqs: Int?
    /// Pooled skew alpha per tp (`skew_fit.per_tp.<tp>.alpha_default`), when the skew fit is enabled.
    public let skewAlphaDefault: [Int: Double]
    /// Bucket tables the meta points at (`skew_fit.per_tp.<tp>.bucket_table`).
    public let skewBucketTables: [Int: String]
    public let yaml: MetaYAML

    public init(url: URL) throws(PerfKitError) {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PerfKitError("missing file: a bundle's variant folder must hold meta.yaml", location: url.path)
        }
        try self.init(text: String(decoding: data, as: UTF8.self), file: url.path)
    }

    public init(text: String, file: String) throws(PerfKitError) {
        self.file = file
        let yaml = try MetaYAML(text: text, file: file)
        self.yaml = yaml
        func required(_ key: String) throws(PerfKitError) -> String {
            guard let value = try yaml.string(key), !value.isEmpty else {
                throw PerfKitError("meta.yaml lacks \"\(key)\"", file: file, line: 1)
            }
            return value
        }
        hardware = try required("hardware")
        model = try required("model")
        modelLine = yaml.line("model")
        variant = try required("variant")
        gpuName = try yaml.string("gpu")
        architecture = try yaml.string("architecture")
        guard case .list(let degrees, let line)? = yaml.node("tp_degrees") else {
            throw PerfKitError("meta.yaml lacks \"tp_degrees: [1, …]\"", file: file, line: yaml.line("tp_degrees"))
        }
        var tps: [Int] = []
        for text in degrees {
            guard let tp = Int(text), tp >= 1 else { throw PerfKitError("tp_degrees must list positive integers, found \"\(text)\"", file: file, line: line) }
            tps.append(tp)
        }
        tpDegrees = tps
        func bound(_ key: String) throws(PerfKitError) -> Int? {
            guard let value = try yaml.number(key) else { return nil }
            guard value >= 1, value == value.rounded() else { throw PerfKitError("\(key) must be a positive integer", file: file, line: yaml.line(key)) }
            return Int(value)
        }
        maxNumBatchedTokens = try bound("engine_effective.max_num_batched_tokens")
        maxNumSeqs = try bound("engine_effective.max_num_seqs")
        var alphas: [Int: Double] = [:]
        var tables: [Int: String] = [:]
        if try yaml.string("skew_fit.enabled") == "true", case .map(let entries, _)? = yaml.node("skew_fit.per_tp") {
            for entry in entries {
                guard let tp = Int(entry.key) else { throw PerfKitError("skew_fit.per_tp keys must be tp degrees, found \"\(entry.key)\"", file: file, line: entry.node.line) }
                if let alpha = try yaml.number("skew_fit.per_tp.\(entry.key).alpha_default") { alphas[tp] = alpha }
                if let table = try yaml.string("skew_fit.per_tp.\(entry.key).bucket_table") { tables[tp] = table }
            }
        }
        skewAlphaDefault = alphas
        skewBucketTables = tables
    }
}
