import Foundation

/// Reads a latency CSV file in fixed-size chunks and hands each row to a closure, so memory stays at one chunk
/// however long the file is.
enum LatencyCSVStream {
    /// Calls `body` with each row of the file in order; a malformed line throws naming file:line:column.
    static func forEachRow(
        in url: URL, chunkBytes: Int = 1 << 20, _ body: (LatencyRow) -> Void
    ) throws(PerfKitError) {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw PerfKitError("cannot read latency table (missing file or no permission)", location: url.path)
        }
        defer { try? handle.close() }
        var parser = LatencyCSVRowParser(source: url.path)
        var pending: [UInt8] = []
        var atEnd = false
        while !atEnd {
            let chunk: Data
            do { chunk = try handle.read(upToCount: chunkBytes) ?? Data() } catch {
                throw PerfKitError("cannot read latency table: \(error.localizedDescription)", location: url.path)
            }
            atEnd = chunk.isEmpty
            pending.append(contentsOf: chunk)
            let consumed = try pending.withUnsafeBufferPointer { bytes throws(PerfKitError) in
                try LatencyCSVRowParser.forEachLine(in: bytes, final: atEnd) { line throws(PerfKitError) in
                    if let row = try parser.parse(line) { body(row) }
                }
            }
            pending.removeFirst(consumed)
        }
        try parser.finish()
    }
}
