public import Foundation

/// The model configs under a `model_configs/` folder, by id.
public struct ModelCatalog: Sendable {
    public let folder: URL
    /// Every loadable model, sorted by id.
    public let models: [ModelConfig]
    /// Configs skipped because their `model_type` is not supported: one warning each.
    public let skipped: [String]

    /// Loads every `*.json` under `folder`; a bad config is an error that names it, but one whose `model_type` is
    /// not supported (gemma2, mixtral, …) is skipped with a warning passed to `warn` (default: standard error),
    /// so that one such file does not break every command.
    public init(folder: URL, warn: (String) -> Void = { FileHandle.standardError.write(Data("warning: \($0)\n".utf8)) }) throws(PerfKitError) {
        self.folder = folder
        var found: [ModelConfig] = []
        var skipped: [String] = []
        for id in Self.modelIDs(in: folder) {
            let file = folder.appendingPathComponent(id + ".json")
            if let type = Self.unsupportedModelType(file) {
                let warning = "\(file.path): skipped: model_type \"\(type)\" is not supported (supported: \(ModelFamily.supportedModelTypes.joined(separator: ", ")))"
                skipped.append(warning)
                warn(warning)
                continue
            }
            found.append(try Self.load(id: id, folder: folder))
        }
        models = found
        self.skipped = skipped
    }

    /// The `model_type` of a config that names an unsupported one; nil for supported or unreadable files (which
    /// `load` reports as errors).
    static func unsupportedModelType(_ file: URL) -> String? {
        guard let data = FileManager.default.contents(atPath: file.path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let type = object["model_type"] as? String else { return nil }
        return ModelFamily(modelType: type) == nil ? type : nil
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
        // Hugging Face spells the org as it likes (Qwen/, our folder qwen/): ids match without regard to case.
        if let model = models.first(where: { $0.id.caseInsensitiveCompare(id) == .orderedSame }) { return model }
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
