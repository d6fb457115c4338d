import Foundation

/// The subset of YAML that LLMServingSim's profiler writes in `meta.yaml`: nested `key: value` maps by indentation,
/// plain or single/double-quoted scalars, flow lists `[a, b]` and `{k: v}` maps kept as text. Anything else
/// (tabs, list items, anchors, multi-line scalars) is an error naming the line, never a guess.
public struct MetaYAML: Sendable {
    /// One value with the line it was written on.
    public indirect enum Node: Sendable {
        case scalar(String, line: Int)
        case list([String], line: Int)
        case map([(key: String, node: Node)], line: Int)

        public var line: Int {
            switch self {
            case .scalar(_, let line), .list(_, let line), .map(_, let line): line
            }
        }
    }

    public let file: String
    public let root: Node

    public init(text: String, file: String) throws(PerfKitError) {
        self.file = file
        var entries: [(indent: Int, key: String, value: String, line: Int)] = []
        var number = 0
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            var line = Substring(raw)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if let hash = Self.commentStart(line) { line = line[..<hash] }
            while line.last == " " { line = line.dropLast() }
            if line.isEmpty || line == "---" { continue }
            if line.contains("\t") { throw PerfKitError("tabs are not allowed in meta.yaml", file: file, line: number) }
            let indent = line.prefix { $0 == " " }.count
            let body = line.dropFirst(indent)
            if body.hasPrefix("- ") || body == "-" {
                throw PerfKitError("block lists are not supported; write [a, b]", file: file, line: number, column: indent + 1)
            }
            guard let colon = Self.keyColon(body) else {
                throw PerfKitError("expected \"key: value\", found \"\(body)\"", file: file, line: number, column: indent + 1)
            }
            let key = Self.unquote(String(body[..<colon]).trimmingCharacters(in: [" "]))
            let value = String(body[body.index(after: colon)...]).trimmingCharacters(in: [" "])
            entries.append((indent, key, value, number))
        }
        var position = 0
        root = try Self.parseMap(entries, &position, indent: 0, line: 1, file: file)
        if position < entries.count {
            throw PerfKitError("unexpected indentation", file: file, line: entries[position].line)
        }
    }

    private static func parseMap(
        _ entries: [(indent: Int, key: String, value: String, line: Int)], _ position: inout Int, indent: Int, line: Int, file: String
    ) throws(PerfKitError) -> Node {
        var items: [(key: String, node: Node)] = []
        while position < entries.count, entries[position].indent == indent {
            let entry = entries[position]
            position += 1
            if items.contains(where: { $0.key == entry.key }) {
                throw PerfKitError("duplicate key \"\(entry.key)\"", file: file, line: entry.line)
            }
            if entry.value.isEmpty {
                if position < entries.count, entries[position].indent > indent {
                    items.append((entry.key, try parseMap(entries, &position, indent: entries[position].indent, line: entry.line, file: file)))
                } else {
                    items.append((entry.key, .scalar("", line: entry.line)))
                }
            } else if entry.value.hasPrefix("[") {
                guard entry.value.hasSuffix("]") else { throw PerfKitError("unterminated list", file: file, line: entry.line) }
                let inner = entry.value.dropFirst().dropLast()
                let values = inner.split(separator: ",").map { unquote($0.trimmingCharacters(in: [" "])) }
                items.append((entry.key, .list(values, line: entry.line)))
            } else {
                items.append((entry.key, .scalar(unquote(entry.value), line: entry.line)))
            }
        }
        if position < entries.count, entries[position].indent > indent {
            throw PerfKitError("unexpected indentation", file: file, line: entries[position].line)
        }
        return .map(items, line: line)
    }

    /// The node at a dotted path (`engine_effective.max_num_seqs`), or nil.
    public func node(_ path: String) -> Node? {
        var current = root
        for part in path.split(separator: ".") {
            guard case .map(let items, _) = current, let next = items.first(where: { $0.key == part })?.node else { return nil }
            current = next
        }
        return current
    }

    /// The scalar at `path`, or nil when absent; an error when it is a map or list.
    public func string(_ path: String) throws(PerfKitError) -> String? {
        guard let node = node(path) else { return nil }
        guard case .scalar(let text, _) = node else { throw PerfKitError("\(path) must be a single value", file: file, line: node.line) }
        return text
    }

    /// The number at `path`, or nil when absent.
    public func number(_ path: String) throws(PerfKitError) -> Double? {
        guard let text = try string(path) else { return nil }
        guard let value = Double(text), value.isFinite else {
            throw PerfKitError("\(path) must be a number, found \"\(text)\"", file: file, line: node(path)!.line)
        }
        return value
    }

    /// The line of `path`, or 1 when absent (for error locations).
    public func line(_ path: String) -> Int { node(path)?.line ?? 1 }

    private static func commentStart(_ line: Substring) -> Substring.Index? {
        var quote: Character?
        var previous: Character = " "
        for index in line.indices {
            let character = line[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "#", previous == " " {
                return index
            }
            previous = character
        }
        return nil
    }

    private static func keyColon(_ body: Substring) -> Substring.Index? {
        var index = body.startIndex
        while index < body.endIndex {
            if body[index] == ":" {
                let next = body.index(after: index)
                if next == body.endIndex || body[next] == " " { return index }
            }
            index = body.index(after: index)
        }
        return nil
    }

    private static func unquote(_ text: String) -> String {
        if text.count >= 2, let first = text.first, first == text.last, first == "'" || first == "\"" {
            return String(text.dropFirst().dropLast())
        }
        return text
    }
}
