public import Foundation

/// A comma-separated file of a measured profile, read strictly: one header, no quoting, every row as wide as the
/// header; cells are read on demand so that each error names `file:line:column`.
public struct ProfileCSV: Sendable {
    /// One data row: its 1-based line number and its cells.
    public struct Row: Sendable {
        public let line: Int
        public let cells: [Substring]
    }

    public let file: String
    public let header: [String]
    public let rows: [Row]

    /// Reads `url`; a missing file is an error naming it and what it should hold.
    public init(url: URL, expecting: String) throws(PerfKitError) {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PerfKitError("missing file: expected \(expecting)", location: url.path)
        }
        try self.init(text: String(decoding: data, as: UTF8.self), file: url.path)
    }

    public init(text: String, file: String) throws(PerfKitError) {
        self.file = file
        var header: [String]?
        var rows: [Row] = []
        var number = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            var line = rawLine
            if line.hasSuffix("\r") { line = line.dropLast() }
            if number == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            if let quote = line.firstIndex(of: "\"") {
                throw PerfKitError("quoted fields are not supported", file: file, line: number,
                                   column: line.distance(from: line.startIndex, to: quote) + 1)
            }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard let names = header else {
                header = cells.map { $0.trimmingCharacters(in: .whitespaces) }
                continue
            }
            guard cells.count == names.count else {
                throw PerfKitError("expected \(names.count) fields (\(names.joined(separator: ","))), found \(cells.count)",
                                   file: file, line: number, column: 1)
            }
            rows.append(Row(line: number, cells: cells))
        }
        guard let header else { throw PerfKitError("empty file: expected a header line", file: file, line: 1) }
        self.header = header
        self.rows = rows
    }

    /// The index of column `name`, or an error at the header listing what it has.
    public func column(_ name: String) throws(PerfKitError) -> Int {
        guard let index = header.firstIndex(of: name) else {
            throw PerfKitError("header lacks column \"\(name)\"; it has \(header.joined(separator: ","))", file: file, line: 1)
        }
        return index
    }

    /// Requires exactly `columns`, in that order (the bundle contract).
    public func requireHeader(_ columns: [String]) throws(PerfKitError) {
        guard header == columns else {
            throw PerfKitError("header is \(header.joined(separator: ",").prefix(200)); expected \(columns.joined(separator: ","))", file: file, line: 1)
        }
    }

    /// The 1-based column of cell `index` in `row`, for error locations.
    public func columnNumber(_ row: Row, _ index: Int) -> Int {
        var column = 1
        for cell in row.cells.prefix(index) { column += cell.utf8.count + 1 }
        return column
    }

    /// Cell `index` of `row` as a non-negative integer.
    public func count(_ row: Row, _ index: Int) throws(PerfKitError) -> Int {
        let text = row.cells[index].trimmingCharacters(in: .whitespaces)
        if let value = Int(text), value >= 0 { return value }
        if let value = Double(text), value >= 0, value == value.rounded(), value < 1e15 { return Int(value) }
        throw PerfKitError("\(header[index]) must be a non-negative integer, found \"\(text)\"",
                           file: file, line: row.line, column: columnNumber(row, index))
    }

    /// Cell `index` of `row` as a finite, non-negative time (the unit is the file's).
    public func time(_ row: Row, _ index: Int) throws(PerfKitError) -> Double {
        let text = row.cells[index].trimmingCharacters(in: .whitespaces)
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
}
