public import Foundation

/// Writes files so that readers see the old content or the new, never a partial one.
public enum AtomicFile {
    /// Writes `data` to a temporary file beside `url`, then renames it over `url`.
    public static func write(_ data: Data, to url: URL) throws(PerfKitError) {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try data.write(to: temporary)
            if rename(temporary.path, url.path) != 0 {
                throw PerfKitError("cannot rename into place: \(String(cString: strerror(errno)))", location: url.path)
            }
        } catch let error as PerfKitError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw PerfKitError("cannot write: \(error.localizedDescription)", location: url.path)
        }
    }
}
