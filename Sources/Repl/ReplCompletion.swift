import Foundation

/// What Tab offers at a point of a line, by the words before it: commands first, then each command's own
/// arguments (`use hardware` → GPUs, `latency GPU` → models, `load trace` → files, …).
public struct ReplCompletion: Sendable {
    public var commands: [String]
    public var models: [String]
    public var gpus: [String]

    public init(commands: [String], models: [String], gpus: [String]) {
        self.commands = commands
        self.models = models
        self.gpus = gpus
    }

    /// Candidates for the word after `before` (the line up to the word being completed) that start with `word`.
    public func candidates(before: String, word: String) -> [String] {
        let words = before.split(whereSeparator: \.isWhitespace).map(String.init)
        let all: [String]
        switch (words.first, words.count) {
        case (nil, _): all = commands
        case ("use", 1): all = ["hardware", "model", "tp", "scheduler", "replicas", "router"]
        case ("use", 2):
            switch words[1] {
            case "hardware": all = gpus
            case "model": all = models
            case "scheduler": all = ["vllm", "orca", "static"]
            case "router": all = ["round_robin", "least_outstanding", "least_kv", "prefix"]
            default: all = []
            }
        case ("latency", 1): all = gpus
        case ("latency", 2): all = models
        case ("latency", 3): all = ["prefill", "decode"]
        case ("latency", _): all = ["input=", "kv=", "batch=", "tp=", "--json"]
        case ("submit", 1): all = models
        case ("submit", _): all = ["at", "every"]
        case ("run", 1): all = ["until"]
        case ("load", 1): all = ["trace"]
        case ("load", 2) where words[1] == "trace": return Self.files(matching: word, foldersOnly: false)
        case ("save", 1): all = ["report"]
        case ("save", 2) where words[1] == "report": return Self.files(matching: word, foldersOnly: true)
        case ("sweep", 1): all = ["rate"]
        case ("search", _): all = ReplSearchOptions.searchNames.map { "--\($0)" } + ["--json"]
        case ("help", 1): all = commands
        case ("status", 1), ("stats", 1), ("requests", 1), ("show", 2): all = ["--json"]
        default: all = []
        }
        return all.filter { $0.hasPrefix(word) }
    }

    /// Paths that start with `prefix` (relative to the working directory, or absolute); folders end with `/`.
    static func files(matching prefix: String, foldersOnly: Bool) -> [String] {
        let slash = prefix.lastIndex(of: "/")
        let folder = slash.map { String(prefix[...$0]) } ?? ""
        let namePrefix = slash.map { String(prefix[prefix.index(after: $0)...]) } ?? prefix
        let listed = folder.isEmpty ? FileManager.default.currentDirectoryPath : (folder as NSString).expandingTildeInPath
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: listed) else { return [] }
        return names.filter { $0.hasPrefix(namePrefix) && (namePrefix.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted().compactMap { name in
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: (listed as NSString).appendingPathComponent(name), isDirectory: &isFolder)
            if foldersOnly && !isFolder.boolValue { return nil }
            return folder + name + (isFolder.boolValue ? "/" : "")
        }
    }
}
