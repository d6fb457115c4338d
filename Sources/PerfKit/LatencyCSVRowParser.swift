import Foundation

/// Parses LLMServingSim's latency CSV one line at a time (the header, then rows), so a file can be read whole or in
/// chunks; strings that repeat from the previous row are reused, not reallocated.
struct LatencyCSVRowParser {
    let source: String
    /// 1-based number of the last line parsed.
    private(set) var line = 0
    private var header: [String]?
    private var required: [Int] = []
    private var tpIndex: Int?
    private var extraIndices: [Int] = []
    private var fieldStarts: [Int] = []
    private var fieldEnds: [Int] = []
    private var lineStart = 0
    private var previousText = ["", "", ""]
    private var previousBytes: [[UInt8]] = [[], [], []]

    init(source: String) { self.source = source }

    var hasTPColumn: Bool { tpIndex != nil }
    var extraColumns: [String] { header.map { names in extraIndices.map { names[$0] } } ?? [] }

    /// Calls `body` with each line of `bytes` (without its "\n"); returns how many bytes it consumed, which stops short
    /// of a last line with no "\n" unless `final`.
    static func forEachLine(
        in bytes: UnsafeBufferPointer<UInt8>, final: Bool, _ body: (UnsafeBufferPointer<UInt8>) throws(PerfKitError) -> Void
    ) throws(PerfKitError) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var start = 0
        while start < bytes.count {
            guard let newline = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start) else { break }
            let end = UnsafeRawPointer(base).distance(to: newline)
            try body(UnsafeBufferPointer(rebasing: bytes[start..<end]))
            start = end + 1
        }
        if final, start < bytes.count {
            try body(UnsafeBufferPointer(rebasing: bytes[start...]))
            start = bytes.count
        }
        return start
    }

    /// Parses the next line (without its "\n"): nil for the header and blank lines, else the row.
    mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(PerfKitError) -> LatencyRow? {
        line += 1
        lineStart = line == 1 && bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        fieldStarts.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        var fieldStart = lineStart
        for index in lineStart..<bytes.count {
            switch bytes[index] {
            case UInt8(ascii: ","):
                fieldStarts.append(fieldStart)
                fieldEnds.append(index)
                fieldStart = index + 1
            case UInt8(ascii: "\""):
                throw PerfKitError("quoted fields are not supported in latency tables", file: source, line: line, column: index - lineStart + 1)
            default: break
            }
        }
        var end = bytes.count
        if end > fieldStart, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        if fieldStarts.isEmpty && bytes[fieldStart..<end].allSatisfy({ $0 == 32 || $0 == 9 }) { return nil }
        fieldStarts.append(fieldStart)
        fieldEnds.append(end)
        guard let header else {
            try parseHeader(bytes)
            return nil
        }
        return try parseRow(bytes, fieldCount: header.count)
    }

    /// Throws when the input ended before a header.
    func finish() throws(PerfKitError) {
        guard header != nil else {
            throw PerfKitError("empty file: expected the header \(LatencyTable.requiredColumns.joined(separator: ","))", file: source, line: 1)
        }
    }

    private mutating func parseHeader(_ bytes: UnsafeBufferPointer<UInt8>) throws(PerfKitError) {
        let names = (0..<fieldStarts.count).map { String(decoding: bytes[fieldStarts[$0]..<fieldEnds[$0]], as: UTF8.self).trimmingCharacters(in: .whitespaces) }
        var columnOf: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            if columnOf[name] != nil { throw PerfKitError("duplicate column \"\(name)\" in header", file: source, line: line) }
            columnOf[name] = index
        }
        let missing = LatencyTable.requiredColumns.filter { columnOf[$0] == nil }
        guard missing.isEmpty else {
            throw PerfKitError(
                "header lacks column(s) \(missing.joined(separator: ", ")); expected \(LatencyTable.requiredColumns.joined(separator: ","))[,tp]",
                file: source, line: line)
        }
        required = LatencyTable.requiredColumns.map { columnOf[$0]! }
        tpIndex = columnOf[LatencyTable.tpColumn]
        let known = Set(required + (tpIndex.map { [$0] } ?? []))
        extraIndices = names.indices.filter { !known.contains($0) }
        header = names
    }

    private mutating func parseRow(_ bytes: UnsafeBufferPointer<UInt8>, fieldCount: Int) throws(PerfKitError) -> LatencyRow {
        guard fieldStarts.count == fieldCount else {
            throw PerfKitError(
                "expected \(fieldCount) fields (\((header ?? []).joined(separator: ","))), found \(fieldStarts.count)",
                file: source, line: line, column: 1)
        }
        let hardware = try text(bytes, required[0], slot: 0, name: "hardware")
        let model = try text(bytes, required[1], slot: 1, name: "model")
        let layer = try text(bytes, required[2], slot: 2, name: "layer_name")
        let input = try integer(bytes, required[3], name: "input")
        let kvCache = try integer(bytes, required[4], name: "kv_cache")
        let latency = try latencyValue(bytes, required[5])
        let tp = try tpIndex.map { index throws(PerfKitError) in Int(try integer(bytes, index, name: "tp")) } ?? 1
        let extra = extraIndices.map { String(decoding: bytes[fieldStarts[$0]..<fieldEnds[$0]], as: UTF8.self) }
        return LatencyRow(
            hardware: hardware, model: model, layerName: layer, input: Int(input), kvCache: Int(kvCache),
            latencyNs: latency, tp: tp, extra: extra, line: line)
    }

    private func column(_ field: Int) -> Int { fieldStarts[field] - lineStart + 1 }

    private mutating func text(_ bytes: UnsafeBufferPointer<UInt8>, _ field: Int, slot: Int, name: String) throws(PerfKitError) -> String {
        let range = fieldStarts[field]..<fieldEnds[field]
        guard !range.isEmpty else {
            throw PerfKitError("column \(name): empty value", file: source, line: line, column: column(field))
        }
        let same = previousBytes[slot].count == range.count && previousBytes[slot].withUnsafeBufferPointer {
            memcmp($0.baseAddress!, bytes.baseAddress! + range.lowerBound, range.count) == 0
        }
        if same { return previousText[slot] }
        let value = String(decoding: bytes[range], as: UTF8.self)
        previousText[slot] = value
        previousBytes[slot] = Array(bytes[range])
        return value
    }

    private func integer(_ bytes: UnsafeBufferPointer<UInt8>, _ field: Int, name: String) throws(PerfKitError) -> Int64 {
        var index = fieldStarts[field]
        let end = fieldEnds[field]
        var negative = false
        if index < end, bytes[index] == UInt8(ascii: "-") { negative = true; index += 1 }
        guard index < end else { throw numberError(bytes, field, name: name, expected: "an integer") }
        var value: Int64 = 0
        while index < end {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { throw numberError(bytes, field, name: name, expected: "an integer") }
            let (scaled, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = scaled.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { throw numberError(bytes, field, name: name, expected: "an integer that fits 64 bits") }
            value = sum
            index += 1
        }
        return negative ? -value : value
    }

    /// Integer nanoseconds; a decimal value (some profilers write them) is rounded.
    private func latencyValue(_ bytes: UnsafeBufferPointer<UInt8>, _ field: Int) throws(PerfKitError) -> Int64 {
        if let value = try? integer(bytes, field, name: "latency(ns)") { return value }
        let text = String(decoding: bytes[fieldStarts[field]..<fieldEnds[field]], as: UTF8.self)
        guard let value = Double(text), value.isFinite, abs(value) < 9e18 else {
            throw numberError(bytes, field, name: "latency(ns)", expected: "a number of nanoseconds")
        }
        return Int64(value.rounded())
    }

    private func numberError(_ bytes: UnsafeBufferPointer<UInt8>, _ field: Int, name: String, expected: String) -> PerfKitError {
        let text = String(decoding: bytes[fieldStarts[field]..<fieldEnds[field]], as: UTF8.self)
        return PerfKitError("column \(name): expected \(expected), found \"\(text)\"", file: source, line: line, column: column(field))
    }
}
