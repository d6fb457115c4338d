public import Foundation

/// The GPU specs of `hardware/gpus.json`, by name.
public struct GPUCatalog: Sendable {
    public let gpus: [GPUSpec]

    public init(gpus: [GPUSpec]) { self.gpus = gpus }

    /// Loads and checks a spec file; errors name the file and the GPU.
    public init(file: URL) throws(PerfKitError) {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw PerfKitError("cannot read GPU spec file", location: file.path)
        }
        struct SpecFile: Decodable { var gpus: [GPUSpec] }
        let decoded: SpecFile
        do {
            decoded = try JSONDecoder().decode(SpecFile.self, from: data)
        } catch {
            throw PerfKitError("invalid GPU spec file: \(error)", location: file.path)
        }
        for gpu in decoded.gpus { try gpu.validate(file: file.path) }
        gpus = decoded.gpus
    }

    /// The GPU named `name` (case-insensitive), or an error listing the known ones.
    public func gpu(_ name: String) throws(PerfKitError) -> GPUSpec {
        if let gpu = gpus.first(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame }) { return gpu }
        throw PerfKitError("unknown GPU \"\(name)\"; known: \(gpus.map(\.name).joined(separator: ", "))")
    }
}
