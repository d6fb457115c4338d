public import Foundation

/// Streams per-request rows to a CSV file (LLMServingSim's columns first), so memory stays flat in the number
/// of finished requests. Writes to a temporary file that `commit()` renames into place; `abandon()` removes it.
public final class RequestCSVWriter {
    /// LLMServingSim's columns, then this simulator's; times in ns.
    public static let header = "request id,model,input,output,arrival,end_time,latency,queuing_delay,TTFT,TPOT,replica,preemptions,first_token,max_ITL,cached_tokens\n"

    private let destination: URL
    private let temporary: URL
    private let handle: FileHandle
    private let model: String
    private var buffer = ""

    public init(url: URL, model: String) throws(SimEngineError) {
        destination = url
        temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
        self.model = model
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: temporary.path, contents: nil)
            handle = try FileHandle(forWritingTo: temporary)
        } catch {
            throw SimEngineError("cannot write: \(error.localizedDescription)", location: url.path)
        }
        buffer.reserveCapacity(1 << 16)
        buffer += Self.header
    }

    /// Appends one row; `model` overrides the writer's model id (for reports over several engines).
    public func append(_ record: RequestRecord, model: String? = nil) throws(SimEngineError) {
        buffer += "\(record.id),\(model ?? self.model),\(record.inputTokens),\(record.outputTokens),\(record.arrival.nanoseconds),\(record.end.nanoseconds),\(record.latency.nanoseconds),\(record.queuingDelay.nanoseconds),\(record.ttft.nanoseconds),\(record.tpot.nanoseconds),\(record.replica),\(record.preemptions),\(record.firstToken.nanoseconds),\(record.maxInterTokenLatency.nanoseconds),\(record.cachedTokens)\n"
        if buffer.utf8.count >= 1 << 16 { try flush() }
    }

    /// Flushes and renames the file into place.
    public func commit() throws(SimEngineError) {
        try flush()
        do {
            try handle.close()
        } catch {
            throw SimEngineError("cannot close: \(error.localizedDescription)", location: destination.path)
        }
        if rename(temporary.path, destination.path) != 0 {
            throw SimEngineError("cannot rename into place: \(String(cString: strerror(errno)))", location: destination.path)
        }
    }

    /// Removes the partial file.
    public func abandon() {
        try? handle.close()
        try? FileManager.default.removeItem(at: temporary)
    }

    private func flush() throws(SimEngineError) {
        do {
            try handle.write(contentsOf: Data(buffer.utf8))
        } catch {
            throw SimEngineError("cannot write: \(error.localizedDescription)", location: destination.path)
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
