/// A source of REPL lines; nil at the end of input (Ctrl-D).
public protocol LineReader {
    mutating func readLine(prompt: String) -> String?
}

/// Lines from standard input, for piped use; no prompt is printed.
public struct StandardInputLineReader: LineReader {
    public init() {}

    public mutating func readLine(prompt: String) -> String? {
        Swift.readLine(strippingNewline: true)
    }
}

/// Lines from a list, for scripts and tests; each line is echoed after the prompt when `echo` is set.
public struct ScriptedLineReader: LineReader {
    private var lines: [String]
    private var position = 0
    private let echo: ((String) -> Void)?

    public init(lines: [String], echo: ((String) -> Void)? = nil) {
        self.lines = lines
        self.echo = echo
    }

    public mutating func readLine(prompt: String) -> String? {
        guard position < lines.count else { return nil }
        defer { position += 1 }
        echo?(prompt + lines[position])
        return lines[position]
    }
}
