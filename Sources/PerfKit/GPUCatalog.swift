public import Foundation

/// The GPU specs of `hardware/gpus.json`, by name, with missing kernel classes derived (`KernelDerivation`).
public struct GPUCatalog: Sendable {
    /// The GPUs with derived kernel parameters filled in.
    public let gpus: [GPUSpec]
    /// The GPUs as the file declares them (what `perfkit calibrate` rewrites).
    public let declared: [GPUSpec]
    /// The file's `_comment`.
    public let comment: String?

    public init(gpus: [GPUSpec]) {
        declared = gpus
        comment = nil
        self.gpus = KernelDerivation.resolve(gpus)
    }

    /// Loads and checks a spec file; errors name the file and the GPU.
    public init(file: URL) throws(PerfKitError) {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw PerfKitError("cannot read GPU spec file", location: file.path)
        }
        let decoded: GPUSpecFile
        do {
            decoded = try JSONDecoder().decode(GPUSpecFile.self, from: data)
        } catch DecodingError.keyNotFound(let key, _) where key.stringValue == "prefill_tile_ns" {
            // The attention fit of an older perfkit (a smooth prefill curve: prefill_half_context, key_latency_ns).
            throw PerfKitError("an attention fit lacks prefill_tile_ns: it is an older perfkit's; re-run perfkit calibrate on the GPU's profile, or delete its kernels.attention to derive it", location: file.path)
        } catch {
            throw PerfKitError("invalid GPU spec file: \(error)", location: file.path)
        }
        for gpu in decoded.gpus { try gpu.validate(file: file.path) }
        declared = decoded.gpus
        comment = decoded.comment
        gpus = KernelDerivation.resolve(decoded.gpus)
    }

    /// The GPU named `name` (case-insensitive), or an error listing the known ones.
    public func gpu(_ name: String) throws(PerfKitError) -> GPUSpec {
        if let gpu = gpus.first(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame }) { return gpu }
        throw PerfKitError("unknown GPU \"\(name)\"; known: \(gpus.map(\.name).joined(separator: ", "))")
    }
}

/// The layout of `hardware/gpus.json`.
public struct GPUSpecFile: Sendable, Codable {
    public var comment: String?
    public var gpus: [GPUSpec]

    public init(comment: String?, gpus: [GPUSpec]) {
        self.comment = comment
        self.gpus = gpus
    }

    enum CodingKeys: String, CodingKey {
        case comment = "_comment", gpus
    }

    /// The file's JSON, keys sorted so that rewrites diff line by line (an empty object as `{}`, as on macOS).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try encoder.encode(self), as: UTF8.self)
        return Data((text.replacing(/\{\n\n\s*\}/, with: "{}") + "\n").utf8)
    }
}
