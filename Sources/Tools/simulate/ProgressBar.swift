import Foundation

/// A one-line progress bar on stderr, drawn only on a terminal.
final class ProgressBar {
    private let total: Int
    private let enabled: Bool

    init(total: Int, enabled: Bool) {
        self.total = max(1, total)
        self.enabled = enabled
    }

    func update(_ done: Int) {
        guard enabled else { return }
        let fraction = min(1, Double(done) / Double(total))
        let filled = Int(fraction * 40)
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: 40 - filled)
        FileHandle.standardError.write(Data("\r\(bar) \(String(format: "%5.1f", fraction * 100))% \(done)/\(total) requests".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
