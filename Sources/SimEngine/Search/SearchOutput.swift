public import Foundation
import PerfKit

/// Where a search's files go: the full report in a folder, or one shard's results.
public enum SearchOutput {
    /// Writes `report.json`, `configurations.csv`, `capacity.svg`, `pareto.svg` and `latency.svg` into `folder`; returns the names.
    @discardableResult
    public static func write(_ report: SearchReport, to folder: URL) throws(SimEngineError) -> [String] {
        var files: [(String, Data)] = [("report.json", report.jsonData()), ("configurations.csv", Data(report.csv().utf8))]
        files += report.charts().sorted { $0.key < $1.key }.map { ($0.key, Data($0.value.utf8)) }
        for (name, data) in files {
            do { try AtomicFile.write(data, to: folder.appendingPathComponent(name)) } catch { throw SimEngineError(error) }
        }
        return files.map(\.0)
    }

    /// Writes one shard's results as `folder/shard-IIII-of-NNNN.json`; returns the file.
    @discardableResult
    public static func write(_ shard: SearchShardFile, to folder: URL) throws(SimEngineError) -> URL {
        let url = folder.appendingPathComponent(shard.shard.fileName)
        do { try AtomicFile.write(shard.jsonData(), to: url) } catch { throw SimEngineError(error) }
        return url
    }

    /// The price list: `explicit` if given, else the data folder's `hardware/prices.json` when it exists, else none.
    public static func prices(explicit: String?, data: DataDirectory?) throws(SimEngineError) -> PriceList {
        if let explicit { return try PriceList.load(URL(fileURLWithPath: explicit)) }
        guard let data else { return PriceList(entries: []) }
        let shipped = data.url.appendingPathComponent("hardware/prices.json")
        return FileManager.default.fileExists(atPath: shipped.path) ? try PriceList.load(shipped) : PriceList(entries: [])
    }
}
