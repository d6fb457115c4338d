import CReadline
import CReadlineShim
import Foundation

/// The completion readline's Tab asks for. Readline calls its provider only inside `readline()`, on the thread of
/// the one reader that set it, so this global is never touched from two threads at once.
nonisolated(unsafe) private var activeCompletion: ReplCompletion?

/// Lines from GNU readline on a terminal: editing, history kept in a file, tab completion by `completion`.
public struct ReadlineLineReader: LineReader {
    private let historyFile: String

    public init(completion: ReplCompletion, historyFile: String) {
        self.historyFile = historyFile
        activeCompletion = completion
        repl_readline_configure("llmservingsim") { before, word in
            guard let completion = activeCompletion, let before, let word else { return }
            for candidate in completion.candidates(before: String(cString: before), word: String(cString: word)) {
                repl_completion_add(candidate)
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
