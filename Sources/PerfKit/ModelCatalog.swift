public import Foundation

/// The model configs under a `model_configs/` folder, by id.
public struct ModelCatalog: Sendable {
    public let folder: URL
    /// Every loadable model, sorted by id.
    public let models: [ModelConfig]

    /// Loads every `*.json` under `folder`; a bad config is an error that names it.
    public init(folder: URL) throws(PerfKitError) {
        self.folder = folder
        var found: [ModelConfig] = []
        for id in Self.modelIDs(in: folder) {
            found.append(try Self.load(id: id, folder: folder))
        }
        models = found
    }

    /// Loads one model by id; ids that leave the folder (`..`, absolute paths) are refused.
    public static func load(id: String, folder: URL) throws(PerfKitError) -> ModelConfig {
        let components = id.split(separator: "/", omittingEmptySubsequences: false)
        guard !id.isEmpty, !id.hasPrefix("/"),
              components.allSatisfy({ !$0.isEmpty && $0 != ".." && $0 != "." })
        else {
            throw PerfKitError("model id \"\(id)\" is not a path under model_configs/ (no '..', '.', leading '/' or empty parts)")
        }
        let file = folder.appendingPathComponent(id + ".json")
        guard let data = FileManager.default.contents(atPath: file.path) else {
            let known = modelIDs(in: folder)
            throw PerfKitError("unknown model \"\(id)\" (no \(file.path)); known: \(known.joined(separator: ", "))")
        }
        return try ModelConfig(id: id, json: data, file: file.path)
    }

    /// The model with `id`, or an error listing the known ids.
    public func model(_ id: String) throws(PerfKitError) -> ModelConfig {
        if let model = models.first(where: { $0.id == id }) { return model }
        return try Self.load(id: id, folder: folder)
    }

    /// Ids of every `*.json` below `folder`, sorted.
    public static func modelIDs(in folder: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var ids: [String] = []
        while let path = enumerator.nextObject() as? String {
            if path.hasSuffix(".json") { ids.append(String(path.dropLast(5))) }
        }
        return ids.sorted()
    }
}
