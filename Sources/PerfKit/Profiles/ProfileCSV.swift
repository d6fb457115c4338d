public import Foundation

/// A comma-separated file of a measured profile, read strictly: one header, no quoting, every row as wide as the
/// header; cells are parsed on demand from the bytes, so that each error names `file:line:column`.
public struct ProfileCSV: Sendable {
    /// One data row: its index into the file's cells and its 1-based line number.
    public struct Row: Sendable {
        @usableFromInline let index: Int
        public let line: Int
    }

    public let file: String
    public let header: [String]
    public let rows: [Row]
    private let bytes: [UInt8]
    /// Start and end byte of every data cell, row after row (`header.count` per row).
    private let starts: [Int]
    private let ends: [Int]

    /// Reads `url`; a missing file is an error naming it and what it should hold.
    public init(url: URL, expecting: String) throws(PerfKitError) {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PerfKitError("missing file: expected \(expecting)", location: url.path)
        }
        try self.init(bytes: [UInt8](data), file: url.path)
    }

    public init(text: String, file: String) throws(PerfKitError) {
        try self.init(bytes: Array(text.utf8), file: file)
    }

    init(bytes: [UInt8], file: String) throws(PerfKitError) {
        self.file = file
        self.bytes = bytes
        var header: [String]?
        var rows: [Row] = []
        var starts: [Int] = []
        var ends: [Int] = []
        rows.reserveCapacity(bytes.count / 24)
        var position = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 0
        var lineStarts: [Int] = []
        var lineEnds: [Int] = []
        while position < bytes.count {
            line += 1
            let start = position
            lineStarts.removeAll(keepingCapacity: true)
            lineEnds.removeAll(keepingCapacity: true)
            var cellStart = start
            var index = start
            while index < bytes.count, bytes[index] != 10 {
                switch bytes[index] {
                case 44:
                    lineStarts.append(cellStart)
                    lineEnds.append(index)
                    cellStart = index + 1
                case 34:
                    throw PerfKitError("quoted fields are not supported", file: file, line: line, column: index - start + 1)
                default: break
                }
                index += 1
            }
            var end = index
            if end > cellStart, bytes[end - 1] == 13 { end -= 1 }
            position = index + 1
            if lineStarts.isEmpty, bytes[cellStart..<end].allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
            lineStarts.append(cellStart)
            lineEnds.append(end)
            guard let names = header else {
                header = zip(lineStarts, lineEnds).map { String(decoding: bytes[$0..<$1], as: UTF8.self).trimmingCharacters(in: .whitespaces) }
                continue
            }
            guard lineStarts.count == names.count else {
                throw PerfKitError("expected \(names.count) fields (\(names.joined(separator: ",").prefix(200))), found \(lineStarts.count)",
                                   file: file, line: line, column: 1)
            }
            rows.append(Row(index: rows.count, line: line))
            starts += lineStarts
            ends += lineEnds
        }
        guard let header else { throw PerfKitError("empty file: expected a header line", file: file, line: 1) }
        self.header = header
        self.rows = rows
        self.starts = starts
        self.ends = ends
    }

    /// The index of column `name`, or an error at the header listing what it has.
    public func column(_ name: String) throws(PerfKitError) -> Int {
        guard let index = header.firstIndex(of: name) else {
            throw PerfKitError("header lacks column \"\(name)\"; it has \(header.joined(separator: ",").prefix(200))", file: file, line: 1)
        }
        return index
    }

    /// Requires exactly `columns`, in that order (the bundle contract).
    public func requireHeader(_ columns: [String]) throws(PerfKitError) {
        guard header == columns else {
            throw PerfKitError("header is \(header.joined(separator: ",").prefix(200)); expected \(columns.joined(separator: ","))", file: file, line: 1)
        }
    }

    private func range(_ row: Row, _ index: Int) -> Range<Int> {
        let cell = row.index * header.count + index
        var start = starts[cell], end = ends[cell]
        while start < end, bytes[start] == 32 || bytes[start] == 9 { start += 1 }
        while end > start, bytes[end - 1] == 32 || bytes[end - 1] == 9 { end -= 1 }
        return start..<end
    }

    /// Cell `index` of `row` as written, trimmed.
    public func text(_ row: Row, _ index: Int) -> String { String(decoding: bytes[range(row, index)], as: UTF8.self) }

    /// The 1-based column of cell `index` in `row`, for error locations.
    public func columnNumber(_ row: Row, _ index: Int) -> Int {
        let first = row.index * header.count
        return starts[first + index] - starts[first] + 1
    }

    /// Cell `index` of `row` as a non-negative integer.
    public func count(_ row: Row, _ index: Int) throws(PerfKitError) -> Int {
        let cell = range(row, index)
        if !cell.isEmpty, cell.count <= 15, bytes[cell].allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            return bytes[cell].reduce(0) { $0 * 10 + Int($1 - 48) }
        }
        let text = text(row, index)
        if let value = Double(text), value >= 0, value == value.rounded(), value < 1e15 { return Int(value) }
        throw PerfKitError("\(header[index]) must be a non-negative integer, found \"\(text)\"",
                           file: file, line: row.line, column: columnNumber(row, index))
    }

    /// Cell `index` of `row` as a finite, non-negative time (the unit is the file's).
    public func time(_ row: Row, _ index: Int) throws(PerfKitError) -> Double {
        let cell = range(row, index)
        if let value = Self.fastDecimal(bytes[cell]) { return value }
        let text = text(row, index)
        guard let value = Double(text), value.isFinite else {
            throw PerfKitError("\(header[index]) must be a number, found \"\(text)\"",
                               file: file, line: row.line, column: columnNumber(row, index))
        }
        guard value >= 0 else {
            throw PerfKitError("\(header[index]) must not be negative, found \(text)",
                               file: file, line: row.line, column: columnNumber(row, index))
        }
        return value
    }

    /// Cell `index` of `row` as a measured kernel time: finite and above zero (no kernel takes no time).
    public func positiveTime(_ row: Row, _ index: Int) throws(PerfKitError) -> Double {
        let value = try time(row, index)
        guard value > 0 else {
            throw PerfKitError("\(header[index]) must be positive: no kernel takes no time, found \(text(row, index))",
                               file: file, line: row.line, column: columnNumber(row, index))
        }
        return value
    }

    /// `digits[.digits]` parsed exactly as strtod would: an integer mantissa below 2^53 divided by an exact power of
    /// ten (at most 10^22) is one correctly rounded IEEE division (Clinger's fast path); nil for anything else.
    static func fastDecimal(_ cell: ArraySlice<UInt8>) -> Double? {
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = -1
        for byte in cell {
            if byte == 46 {
                guard fraction < 0 else { return nil }
                fraction = 0
                continue
            }
            guard byte >= 48, byte <= 57 else { return nil }
            mantissa = mantissa * 10 + UInt64(byte - 48)
            digits += 1
            if fraction >= 0 { fraction += 1 }
            guard digits <= 15 else { return nil }
        }
        guard digits > 0, fraction != 0 else { return nil }
        let scale = max(fraction, 0)
        guard scale <= 22 else { return nil }
        return Double(mantissa) / powersOfTen[scale]
    }

    /// 10^0 … 10^22, each exact in a Double.
    private static let powersOfTen: [Double] = (0...22).reduce(into: []) { powers, _ in powers.append((powers.last ?? 0.1) * 10) }
}
