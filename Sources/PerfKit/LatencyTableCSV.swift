import Foundation

/// Reads and writes LLMServingSim's latency CSV: plain comma-separated fields, no quoting, one header line.
enum LatencyTableCSV {
    static func parse(_ data: Data, source: String) throws(PerfKitError) -> LatencyTable {
        var parser = LatencyCSVRowParser(source: source)
        var rows: [LatencyRow] = []
        rows.reserveCapacity(data.count / 56)
        let result: Result<Void, PerfKitError> = data.withUnsafeBytes { raw in
            Result { () throws(PerfKitError) in
                _ = try LatencyCSVRowParser.forEachLine(in: raw.bindMemory(to: UInt8.self), final: true) { line throws(PerfKitError) in
                    if let row = try parser.parse(line) { rows.append(row) }
                }
            }
        }
        try result.get()
        try parser.finish()
        return LatencyTable(rows: rows, hasTPColumn: parser.hasTPColumn, extraColumns: parser.extraColumns, source: source)
    }

    static func render(_ table: LatencyTable) -> Data {
        var header = LatencyTable.requiredColumns
        if table.hasTPColumn { header.append(LatencyTable.tpColumn) }
        header += table.extraColumns
        var text = header.joined(separator: ",")
        text.reserveCapacity(table.rows.count * 64)
        text.append("\n")
        for row in table.rows {
            text.append(row.hardware); text.append(",")
            text.append(row.model); text.append(",")
            text.append(row.layerName); text.append(",")
            text.append(String(row.input)); text.append(",")
            text.append(String(row.kvCache)); text.append(",")
            text.append(String(row.latencyNs))
            if table.hasTPColumn { text.append(","); text.append(String(row.tp)) }
            for value in row.extra { text.append(","); text.append(value) }
            text.append("\n")
        }
        return Data(text.utf8)
    }
}
