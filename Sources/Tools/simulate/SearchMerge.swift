import ArgumentParser
import Foundation
import PerfKit
import SimEngine

struct SearchMerge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the shard files of a sharded search into the report one process would have printed.")

    @Argument(help: "Folders (or shard files) holding shard-IIII-of-NNNN.json.") var folders: [String]
    @Option(help: "Folder holding model_configs/ and hardware/ (for the default price list).") var dataDir: String?
    @OptionGroup var report: SearchReportOptions

    func run() throws {
        do throws(SimEngineError) {
            let (spec, results) = try SearchShardFile.merge(folders.map { URL(fileURLWithPath: $0) })
            let data = report.prices == nil ? try? DataDirectory.locate(explicit: dataDir) : nil
            try report.emit(try report.report(spec: spec, results: results, data: data))
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
