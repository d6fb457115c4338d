public import Foundation

/// The folder that holds `model_configs/`, `perf_model/` and `hardware/`.
public struct DataDirectory: Sendable, Hashable {
    /// Environment variable that names the data folder when `--data-dir` is not given.
    public static let environmentVariable = "LLMSERVINGSIM_DATA"

    public let url: URL

    public init(url: URL) { self.url = url }

    public var modelConfigs: URL { url.appendingPathComponent("model_configs") }
    public var perfModel: URL { url.appendingPathComponent("perf_model") }
    public var hardwareSpecs: URL { url.appendingPathComponent("hardware/gpus.json") }

    /// The latency table file of one GPU.
    public func tableURL(hardware: String) -> URL { perfModel.appendingPathComponent("\(hardware).csv") }

    /// Where an installed executable's data can be: the folders above it, and `../share/llmservingsim` from its folder.
    static func installedCandidates(executable: URL = URL(fileURLWithPath: CommandLine.arguments[0])) -> [URL] {
        let resolved = executable.resolvingSymlinksInPath().standardizedFileURL
        var candidates: [URL] = []
        var folder = resolved.deletingLastPathComponent()
        candidates.append(folder.deletingLastPathComponent().appendingPathComponent("share/llmservingsim"))
        while true {
            candidates.append(folder)
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        return candidates
    }

    /// Finds the data folder: `explicit`, then `$LLMSERVINGSIM_DATA`, then the working directory and its parents, then
    /// the folders of an installed executable (see `installedCandidates`).
    public static func locate(explicit: String? = nil) throws(PerfKitError) -> DataDirectory {
        let fileManager = FileManager.default
        if let path = explicit ?? ProcessInfo.processInfo.environment[environmentVariable] {
            let url = URL(fileURLWithPath: path).standardizedFileURL
            guard fileManager.fileExists(atPath: url.appendingPathComponent("model_configs").path) else {
                throw PerfKitError("no model_configs/ folder in data directory \(url.path)")
            }
            return DataDirectory(url: url)
        }
        var searched: [String] = []
        var candidate = URL(fileURLWithPath: fileManager.currentDirectoryPath).standardizedFileURL
        while true {
            searched.append(candidate.path)
            if fileManager.fileExists(atPath: candidate.appendingPathComponent("model_configs").path) {
                return DataDirectory(url: candidate)
            }
            let parent = candidate.deletingLastPathComponent()
            if parent.path == candidate.path { break }
            candidate = parent
        }
        // Installed binaries: the folders above the executable (a `swift build` product in the repository's .build/),
        // then `<prefix>/share/llmservingsim` beside `<prefix>/bin/`.
        for candidate in installedCandidates() {
            searched.append(candidate.path)
            if fileManager.fileExists(atPath: candidate.appendingPathComponent("model_configs").path) {
                return DataDirectory(url: candidate)
            }
        }
        throw PerfKitError(
            "cannot find model_configs/: looked in \(searched.joined(separator: ", ")); pass --data-dir or set \(environmentVariable)")
    }
}
