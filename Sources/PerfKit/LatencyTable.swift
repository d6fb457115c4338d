public import Foundation

/// A per-GPU latency table in LLMServingSim's CSV format
/// (`hardware,model,layer_name,input,kv_cache,latency(ns)`, optional `tp`, extra columns kept).
public struct LatencyTable: Sendable, Hashable {
    /// The required columns, in LLMServingSim's order.
    public static let requiredColumns = ["hardware", "model", "layer_name", "input", "kv_cache", "latency(ns)"]
    /// The optional tensor-parallel column.
    public static let tpColumn = "tp"

    public var rows: [LatencyRow]
    /// Whether the file has (or should be written with) a `tp` column.
    public var hasTPColumn: Bool
    /// Names of extra columns, in order; each row's `extra` holds their values.
    public var extraColumns: [String]
    /// Where the table came from (a path), for messages.
    public var source: String

    public init(rows: [LatencyRow], hasTPColumn: Bool? = nil, extraColumns: [String] = [], source: String = "") {
        self.rows = rows
        self.hasTPColumn = hasTPColumn ?? rows.contains { $0.tp != 1 }
        self.extraColumns = extraColumns
        self.source = source
    }

    /// Loads a table file; a malformed line is an error naming file:line:column.
    public static func load(from url: URL) throws(PerfKitError) -> LatencyTable {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PerfKitError("cannot read latency table (missing file or no permission)", location: url.path)
        }
        return try LatencyTableCSV.parse(data, source: url.path)
    }

    /// The CSV text of the table.
    public func csvData() -> Data { LatencyTableCSV.render(self) }

    /// Writes the table atomically: a temporary file renamed into place, so a failure leaves no partial file.
    public func save(to url: URL) throws(PerfKitError) {
        try AtomicFile.write(csvData(), to: url)
    }

    /// Model ids present, in first-seen order.
    public var models: [String] {
        var seen = Set<String>()
        return rows.compactMap { seen.insert($0.model).inserted ? $0.model : nil }
    }

    /// Hardware names present, in first-seen order.
    public var hardwareNames: [String] {
        var seen = Set<String>()
        return rows.compactMap { seen.insert($0.hardware).inserted ? $0.hardware : nil }
    }
}
