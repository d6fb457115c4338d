import Foundation

/// Rules on an SSE response: every `data:` event but the last is JSON, the last is `[DONE]`, plus matchers
/// on the first event, the last JSON event, every content event, and counts.
public struct StreamRules: Sendable {
    public var first: [FieldMatcher]
    public var last: [FieldMatcher]
    /// Matchers every JSON event must satisfy.
    public var every: [FieldMatcher]
    public var minimumEvents: Int
    /// Events (JSON) that must appear somewhere, each given by its matchers.
    public var contains: [[FieldMatcher]]
    /// Whether `data: [DONE]` must end the stream.
    public var done: Bool

    init(parsing object: [String: Any], file: String) throws {
        func matchers(_ key: String) throws -> [FieldMatcher] {
            try (object[key] as? [[String: Any]] ?? []).map { try FieldMatcher(parsing: $0, file: file) }
        }
        first = try matchers("first")
        last = try matchers("last")
        every = try matchers("every")
        minimumEvents = object["min_events"] as? Int ?? 1
        contains = try (object["contains"] as? [[[String: Any]]] ?? []).map { try $0.map { try FieldMatcher(parsing: $0, file: file) } }
        done = object["done"] as? Bool ?? true
    }

    /// The rules with `{{model}}` replaced in every matcher.
    func substituting(model: String) -> StreamRules {
        var copy = self
        copy.first = first.map { $0.substituting(model: model) }
        copy.last = last.map { $0.substituting(model: model) }
        copy.every = every.map { $0.substituting(model: model) }
        copy.contains = contains.map { $0.map { $0.substituting(model: model) } }
        return copy
    }

    /// Problems with the event stream `body`; empty when it satisfies every rule.
    public func failures(body: String) -> [String] {
        let datas = body.components(separatedBy: "\n\n").compactMap { block -> String? in
            let lines = block.split(separator: "\n").filter { $0.hasPrefix("data:") }
            guard !lines.isEmpty else { return nil }
            return lines.map { $0.dropFirst(5).trimmingCharacters(in: .whitespaces) }.joined(separator: "\n")
        }
        var problems: [String] = []
        if done && datas.last != "[DONE]" { problems.append("stream does not end with data: [DONE]") }
        let jsonEvents = datas.filter { $0 != "[DONE]" }
        var documents: [Any] = []
        for (index, text) in jsonEvents.enumerated() {
            guard let document = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else {
                problems.append("event \(index) is not JSON: \(text.prefix(80))")
                continue
            }
            documents.append(document)
        }
        if documents.count < minimumEvents { problems.append("\(documents.count) JSON events, expected at least \(minimumEvents)") }
        if let firstDocument = documents.first { problems += first.compactMap { $0.failure(in: firstDocument).map { "first event: \($0)" } } }
        if let lastDocument = documents.last { problems += last.compactMap { $0.failure(in: lastDocument).map { "last event: \($0)" } } }
        for (index, document) in documents.enumerated() {
            problems += every.compactMap { $0.failure(in: document).map { "event \(index): \($0)" } }
        }
        for (index, group) in contains.enumerated() where !documents.contains(where: { document in group.allSatisfy { $0.failure(in: document) == nil } }) {
            problems.append("no event satisfies contains[\(index)]")
        }
        return problems
    }
}
