public import Foundation

/// One slice of a search's grid: configurations whose index i has i mod count == index (0-based, like a
/// Kubernetes Indexed Job's JOB_COMPLETION_INDEX), so that slices are balanced whatever the grid's order.
public struct SearchShard: Sendable, Hashable, Codable {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) throws(SimEngineError) {
        guard count >= 1, index >= 0, index < count else {
            throw SimEngineError("shard \(index)/\(count): needs 0 ≤ I < N (I is 0-based)", location: "shard")
        }
        self.index = index
        self.count = count
    }

    /// Parses `I/N`.
    public init(parsing text: String) throws(SimEngineError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw SimEngineError("expected I/N like 0/4 (I is 0-based), found \"\(text)\"", location: "shard")
        }
        try self.init(index: index, count: count)
    }

    /// The shard an array job gives this process: Kubernetes (`JOB_COMPLETION_INDEX`, `JOB_COMPLETION_COUNT`),
    /// else Slurm (`SLURM_ARRAY_TASK_ID` − `SLURM_ARRAY_TASK_MIN`, `SLURM_ARRAY_TASK_COUNT`); nil when neither is set.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(SimEngineError) -> SearchShard? {
        func number(_ name: String) throws(SimEngineError) -> Int? {
            guard let text = environment[name] else { return nil }
            guard let value = Int(text) else { throw SimEngineError("expected an integer, found \"\(text)\"", location: name) }
            return value
        }
        if let index = try number("JOB_COMPLETION_INDEX") {
            guard let count = try number("JOB_COMPLETION_COUNT") else {
                throw SimEngineError("JOB_COMPLETION_INDEX is set but JOB_COMPLETION_COUNT is not; set it to the Job's completions, or give --shard I/N", location: "shard")
            }
            return try SearchShard(index: index, count: count)
        }
        if let id = try number("SLURM_ARRAY_TASK_ID"), let count = try number("SLURM_ARRAY_TASK_COUNT") {
            return try SearchShard(index: id - (try number("SLURM_ARRAY_TASK_MIN") ?? 0), count: count)
        }
        return nil
    }

    /// The grid indices of this slice.
    public func indices(configurationCount: Int) -> [Int] { Array(stride(from: index, to: configurationCount, by: count)) }

    /// `shard-0002-of-0008.json`.
    public var fileName: String { String(format: "shard-%04d-of-%04d.json", index, count) }
}

/// What one shard writes: the search it belongs to, which slice it ran, and the slice's results.
public struct SearchShardFile: Sendable, Hashable, Codable {
    public var formatVersion = 1
    public var spec: SearchSpec
    public var shard: SearchShard
    public var results: [ConfigurationResult]

    public init(spec: SearchSpec, shard: SearchShard, results: [ConfigurationResult]) {
        self.spec = spec
        self.shard = shard
        self.results = results
    }

    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? encoder.encode(self)) ?? Data()
    }

    /// Reads every `shard-*-of-*.json` in `folders` (a folder, or a shard file itself) and returns the search's spec
    /// and all results by index; an error when shards disagree on the search, repeat, or leave a slice out.
    public static func merge(_ paths: [URL]) throws(SimEngineError) -> (SearchSpec, [ConfigurationResult]) {
        var files: [URL] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isFolder) else {
                throw SimEngineError("no such file or folder", location: path.path)
            }
            if isFolder.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path.path)) ?? []
                files += names.filter { $0.hasPrefix("shard-") && $0.hasSuffix(".json") }.sorted().map { path.appendingPathComponent($0) }
            } else {
                files.append(path)
            }
        }
        guard !files.isEmpty else { throw SimEngineError("no shard-*-of-*.json files in \(paths.map(\.path).joined(separator: ", "))", location: "merge") }
        var shards: [SearchShardFile] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file.path) else { throw SimEngineError("cannot read", location: file.path) }
            do {
                shards.append(try JSONDecoder().decode(SearchShardFile.self, from: data))
            } catch {
                throw SimEngineError("not a search shard file: \(error)", location: file.path)
            }
        }
        let first = shards[0]
        var seen: [Int: URL] = [:]
        for (shard, file) in zip(shards, files) {
            guard shard.spec == first.spec else {
                throw SimEngineError("belongs to another search than \(files[0].path) (grid, workload, SLO, rates or scheduler differ)", location: file.path)
            }
            guard shard.shard.count == first.shard.count else {
                throw SimEngineError("is shard \(shard.shard.index)/\(shard.shard.count), but \(files[0].path) is one of \(first.shard.count)", location: file.path)
            }
            if let earlier = seen[shard.shard.index] { throw SimEngineError("repeats shard \(shard.shard.index) of \(earlier.path)", location: file.path) }
            seen[shard.shard.index] = file
        }
        let missing = (0..<first.shard.count).filter { seen[$0] == nil }
        guard missing.isEmpty else {
            throw SimEngineError("shard(s) \(missing.map(String.init).joined(separator: ", ")) of \(first.shard.count) missing", location: "merge")
        }
        let results = shards.flatMap(\.results).sorted { $0.index < $1.index }
        guard results.map(\.index) == Array(0..<first.spec.grid.configurationCount) else {
            throw SimEngineError("the shards do not hold each of the \(first.spec.grid.configurationCount) configurations exactly once", location: "merge")
        }
        return (first.spec, results)
    }
}
