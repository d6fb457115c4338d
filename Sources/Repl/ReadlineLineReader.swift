import CReadline
import CReadlineShim
import Foundation

/// Lines from GNU readline on a terminal: editing, history kept in a file, tab completion of commands and words.
public struct ReadlineLineReader: LineReader {
    private let historyFile: String

    /// `words` complete after the first word (model ids, GPU names, keywords); `commands` complete the first word.
    public init(commands: [String], words: [String], historyFile: String) {
        self.historyFile = historyFile
        withCStrings(commands) { commandPointers in
            withCStrings(words) { wordPointers in
                repl_readline_configure("llmservingsim", commandPointers, Int32(commands.count), wordPointers, Int32(words.count))
            }
        }
        if FileManager.default.fileExists(atPath: historyFile) {
            _ = read_history(historyFile)
        } else {
            _ = write_history(historyFile)
        }
    }

    public mutating func readLine(prompt: String) -> String? {
        repl_set_in_readline(1)
        defer { repl_set_in_readline(0) }
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        let line = String(cString: raw)
        if !line.trimmingCharacters(in: .whitespaces).isEmpty {
            add_history(raw)
            _ = append_history(1, historyFile)
        }
        return line
    }

    /// The default history file: ~/.llmservingsim_history.
    public static var defaultHistoryFile: String {
        (ProcessInfo.processInfo.environment["HOME"] ?? NSTemporaryDirectory()) + "/.llmservingsim_history"
    }
}

private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let duplicates = strings.map { strdup($0) }
    defer { duplicates.forEach { free($0) } }
    let pointers = duplicates.map { UnsafePointer($0) } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
