/// A line the REPL could not parse or apply; the message quotes the bad token and shows the usage.
public struct ReplError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// The usage line of the command, when the command was recognised.
    public var usage: String?

    public init(_ message: String, usage: String? = nil) {
        self.message = message
        self.usage = usage
    }

    public var description: String {
        usage.map { "error: \(message)\nusage: \($0)" } ?? "error: \(message)"
    }

    /// The error as JSON, `{"error": …, "usage": …}`, for lines that asked for `--json`.
    public var json: String {
        struct Body: Encodable { var error: String; var usage: String? }
        return Formatting.json(Body(error: message, usage: usage))
    }

    /// A token as it should appear in a message: quoted, shortened when long, control bytes escaped.
    static func quote(_ token: some StringProtocol) -> String {
        let cleaned = token.unicodeScalars.map { scalar in
            scalar.value < 32 || scalar.value == 127 ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }.joined()
        let short = cleaned.count > 40 ? cleaned.prefix(37) + "…" : Substring(cleaned)
        return "\"\(short)\""
    }
}
