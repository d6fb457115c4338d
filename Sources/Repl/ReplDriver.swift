/// The read–parse–apply–print loop: until `quit`, the end of input or, with `stopOnError`, the first failed line.
public enum ReplDriver {
    public static let prompt = "repl> "

    /// Runs lines from `reader` against `session`, writing output through `write`; returns how many lines failed.
    @discardableResult
    public static func run(
        session: inout ReplSession, reader: inout some LineReader, forceJSON: Bool = false, stopOnError: Bool = false,
        write: (String) -> Void, interrupted: () -> Bool = { false }
    ) -> Int {
        var failed = 0
        while let line = reader.readLine(prompt: prompt) {
            _ = interrupted()
            let parsed: ReplLine?
            do {
                parsed = try session.parser.parse(line)
            } catch {
                // A line that asked for JSON gets its error as JSON too, even when it did not parse.
                let askedJSON = forceJSON || line.split(whereSeparator: \.isWhitespace).last == "--json"
                write(askedJSON ? error.json : error.description)
                failed += 1
                if stopOnError { break }
                continue
            }
            guard var parsed else { continue }
            if case .quit = parsed.command { break }
            parsed.json = parsed.json || forceJSON
            do {
                let output = try session.execute(parsed, interrupted: interrupted)
                if !output.isEmpty { write(output) }
            } catch {
                write(parsed.json ? error.json : error.description)
                failed += 1
                if stopOnError { break }
            }
        }
        return failed
    }
}
