import ArgumentParser
import Foundation
import PerfKit
import SimEngine

/// How a search's results are reported; shared by `search` and `search merge`, so both give the same report.
struct SearchReportOptions: ParsableArguments {
    @Option(help: "Price list (default hardware/prices.json): {\"prices\": [{gpu, usd_per_gpu_hour, offer, source, date}]}.") var prices: String?
    @Option(parsing: .unconditional, help: "Report the cheapest configuration sustaining this many requests/s.") var targetRate: Double?
    @Option(help: "Order of the table: rate, throughput-per-gpu or cost.") var rankBy: SearchRanking = .rate
    @Flag(help: "Print the report as JSON instead of a table.") var json = false
    @Option(help: "Folder for report.json, configurations.csv and SVG charts (with --shard: the shard's results).") var out: String?

    func report(spec: SearchSpec, results: [ConfigurationResult], data: DataDirectory?) throws(SimEngineError) -> SearchReport {
        if let targetRate, !(targetRate > 0 && targetRate.isFinite) {
            throw SimEngineError("must be a positive number of requests/s, found \(targetRate)", location: "target-rate")
        }
        let list = try SearchOutput.prices(explicit: prices, data: data)
        return SearchReport(spec: spec, results: results, prices: list, ranking: rankBy, targetRate: targetRate)
    }

    /// Prints the report (stdout holds only the report) and writes the folder when asked.
    func emit(_ report: SearchReport) throws(SimEngineError) {
        print(json ? String(decoding: report.jsonData(), as: UTF8.self) : report.textReport())
        if let out {
            let names = try SearchOutput.write(report, to: URL(fileURLWithPath: out))
            FileHandle.standardError.write(Data("wrote \(names.map { "\(out)/\($0)" }.joined(separator: ", "))\n".utf8))
        }
    }
}

extension SearchRanking: ExpressibleByArgument {}
