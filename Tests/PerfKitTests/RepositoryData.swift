import Foundation
import PerfKit

/// The repository's shipped data, found from this source file's path.
enum RepositoryData {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let directory = DataDirectory(url: root)
    static let fixtures = root.appendingPathComponent("fixtures/tables")

    static func models() throws -> ModelCatalog { try ModelCatalog(folder: directory.modelConfigs) }
    static func gpus() throws -> GPUCatalog { try GPUCatalog(file: directory.hardwareSpecs) }
    static func model(_ id: String) throws -> ModelConfig { try ModelCatalog.load(id: id, folder: directory.modelConfigs) }
    static func gpu(_ name: String) throws -> GPUSpec { try gpus().gpu(name) }

    /// A fresh temporary folder for one test.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("perfkit-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
