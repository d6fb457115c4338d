import Foundation

/// Reads and writes LLMServingSim's latency CSV: plain comma-separated fields, no quoting, one header line.
enum LatencyTableCSV {
    static func parse(_ data: Data, source: String) throws(PerfKitError) -> LatencyTable {
        let result: Result<LatencyTable, PerfKitError> = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var parser = Parser(bytes: bytes, source: source)
            return Result { () throws(PerfKitError) in try parser.parseTable() }
        }
        return try result.get()
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

    /// A byte-level parser; strings that repeat from the previous row are reused, not reallocated.
    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        let source: String
        var position = 0
        var line = 0
        var fieldStarts: [Int] = []
        var fieldEnds: [Int] = []
        var previousText: [String] = ["", "", ""]
        var previousRange: [Range<Int>] = [0..<0, 0..<0, 0..<0]

        init(bytes: UnsafeBufferPointer<UInt8>, source: String) {
            self.bytes = bytes
            self.source = source
        }

        mutating func parseTable() throws(PerfKitError) -> LatencyTable {
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
            guard try nextLine() else { throw PerfKitError("empty file: expected the header \(LatencyTable.requiredColumns.joined(separator: ","))", file: source, line: 1) }
            let header = (0..<fieldStarts.count).map { String(decoding: bytes[fieldStarts[$0]..<fieldEnds[$0]], as: UTF8.self).trimmingCharacters(in: .whitespaces) }
            var columnOf: [String: Int] = [:]
            for (index, name) in header.enumerated() {
                if columnOf[name] != nil { throw PerfKitError("duplicate column \"\(name)\" in header", file: source, line: line) }
                columnOf[name] = index
            }
            let missing = LatencyTable.requiredColumns.filter { columnOf[$0] == nil }
            guard missing.isEmpty else {
                throw PerfKitError(
                    "header lacks column(s) \(missing.joined(separator: ", ")); expected \(LatencyTable.requiredColumns.joined(separator: ","))[,tp]",
                    file: source, line: line)
            }
            let required = LatencyTable.requiredColumns.map { columnOf[$0]! }
            let tpIndex = columnOf[LatencyTable.tpColumn]
            let known = Set(required + (tpIndex.map { [$0] } ?? []))
            let extraIndices = header.indices.filter { !known.contains($0) }

            var rows: [LatencyRow] = []
            rows.reserveCapacity(bytes.count / 56)
            while try nextLine() {
                guard fieldStarts.count == header.count else {
                    throw PerfKitError(
                        "expected \(header.count) fields (\(header.joined(separator: ","))), found \(fieldStarts.count)",
                        file: source, line: line, column: 1)
                }
                let hardware = try text(required[0], slot: 0, name: "hardware")
                let model = try text(required[1], slot: 1, name: "model")
                let layer = try text(required[2], slot: 2, name: "layer_name")
                let input = try integer(required[3], name: "input")
                let kvCache = try integer(required[4], name: "kv_cache")
                let latency = try latencyValue(required[5])
                let tp = try tpIndex.map { index throws(PerfKitError) in Int(try integer(index, name: "tp")) } ?? 1
                let extra = extraIndices.map { String(decoding: bytes[fieldStarts[$0]..<fieldEnds[$0]], as: UTF8.self) }
                rows.append(LatencyRow(
                    hardware: hardware, model: model, layerName: layer, input: Int(input), kvCache: Int(kvCache),
                    latencyNs: latency, tp: tp, extra: extra, line: line))
            }
            return LatencyTable(
                rows: rows, hasTPColumn: tpIndex != nil, extraColumns: extraIndices.map { header[$0] }, source: source)
        }

        /// Splits the next non-blank line into fields; false at the end of the file.
        mutating func nextLine() throws(PerfKitError) -> Bool {
            while position < bytes.count {
                line += 1
                let start = position
                fieldStarts.removeAll(keepingCapacity: true)
                fieldEnds.removeAll(keepingCapacity: true)
                var fieldStart = start
                var index = start
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") {
                    switch bytes[index] {
                    case UInt8(ascii: ","):
                        fieldStarts.append(fieldStart)
                        fieldEnds.append(index)
                        fieldStart = index + 1
                    case UInt8(ascii: "\""):
                        throw PerfKitError(
                            "quoted fields are not supported in latency tables", file: source, line: line,
                            column: index - start + 1)
                    default: break
                    }
                    index += 1
                }
                var end = index
                if end > fieldStart, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                position = index + 1
                if fieldStarts.isEmpty && bytes[fieldStart..<end].allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
                fieldStarts.append(fieldStart)
                fieldEnds.append(end)
                return true
            }
            return false
        }

        func column(_ field: Int) -> Int {
            var lineStart = fieldStarts[0]
            while lineStart > 0, bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
            return fieldStarts[field] - lineStart + 1
        }

        mutating func text(_ field: Int, slot: Int, name: String) throws(PerfKitError) -> String {
            let range = fieldStarts[field]..<fieldEnds[field]
            guard !range.isEmpty else {
                throw PerfKitError("column \(name): empty value", file: source, line: line, column: column(field))
            }
            let previous = previousRange[slot]
            if previous.count == range.count, !previous.isEmpty,
               memcmp(bytes.baseAddress! + previous.lowerBound, bytes.baseAddress! + range.lowerBound, range.count) == 0 {
                previousRange[slot] = range
                return previousText[slot]
            }
            let value = String(decoding: bytes[range], as: UTF8.self)
            previousText[slot] = value
            previousRange[slot] = range
            return value
        }

        func integer(_ field: Int, name: String) throws(PerfKitError) -> Int64 {
            var index = fieldStarts[field]
            let end = fieldEnds[field]
            var negative = false
            if index < end, bytes[index] == UInt8(ascii: "-") { negative = true; index += 1 }
            guard index < end else { throw numberError(field, name: name, expected: "an integer") }
            var value: Int64 = 0
            while index < end {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { throw numberError(field, name: name, expected: "an integer") }
                let (scaled, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = scaled.addingReportingOverflow(Int64(digit))
                guard !overflow1, !overflow2 else { throw numberError(field, name: name, expected: "an integer that fits 64 bits") }
                value = sum
                index += 1
            }
            return negative ? -value : value
        }

        /// Integer nanoseconds; a decimal value (some profilers write them) is rounded.
        func latencyValue(_ field: Int) throws(PerfKitError) -> Int64 {
            if let value = try? integer(field, name: "latency(ns)") { return value }
            let text = String(decoding: bytes[fieldStarts[field]..<fieldEnds[field]], as: UTF8.self)
            guard let value = Double(text), value.isFinite, abs(value) < 9e18 else {
                throw numberError(field, name: "latency(ns)", expected: "a number of nanoseconds")
            }
            return Int64(value.rounded())
        }

        func numberError(_ field: Int, name: String, expected: String) -> PerfKitError {
            let text = String(decoding: bytes[fieldStarts[field]..<fieldEnds[field]], as: UTF8.self)
            return PerfKitError(
                "column \(name): expected \(expected), found \"\(text)\"", file: source, line: line, column: column(field))
        }
    }
}
