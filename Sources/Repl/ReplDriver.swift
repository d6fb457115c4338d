/// The read–parse–apply–print loop: no line ends the session except `quit` or the end of input.
public enum ReplDriver {
    public static let prompt = "repl> "

    /// Runs lines from `reader` against `session` until quit or end of input, writing output through `write`.
    public static func run(
        session: inout ReplSession, reader: inout some LineReader, forceJSON: Bool = false,
        write: (String) -> Void, interrupted: () -> Bool = { false }
    ) {
        while let line = reader.readLine(prompt: prompt) {
            _ = interrupted()
            let parsed: ReplLine?
            do {
                parsed = try session.parser.parse(line)
            } catch {
                // A line that asked for JSON gets its error as JSON too, even when it did not parse.
                let askedJSON = forceJSON || line.split(whereSeparator: \.isWhitespace).last == "--json"
                write(askedJSON ? error.json : error.description)
                continue
            }
            guard var parsed else { continue }
            if case .quit = parsed.command { return }
            parsed.json = parsed.json || forceJSON
            do {
                let output = try session.execute(parsed, interrupted: interrupted)
                if !output.isEmpty { write(output) }
            } catch {
                write(parsed.json ? error.json : error.description)
            }
        }
    }
}
