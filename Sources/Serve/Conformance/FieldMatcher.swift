import Foundation

/// A rule on one JSON field, addressed by a path like `choices[0].message.content`.
public struct FieldMatcher: Sendable {
    public enum Rule: Sendable {
        /// string, integer, number, boolean, object, array or null.
        case type(String)
        /// Equal to this JSON value (given as JSON text).
        case equals(String)
        /// A string matching this regular expression.
        case matches(String)
        case present
        case absent
        /// An array of exactly this many elements.
        case count(Int)
        /// A number at least this large.
        case atLeast(Double)
        /// A string that parses as a JSON object or array (a structured output, tool-call arguments).
        case jsonText
    }

    public var path: String
    public var rule: Rule

    init(parsing object: [String: Any], file: String) throws {
        guard let path = object["path"] as? String else { throw ConformanceError("\(file): a json matcher needs a \"path\"") }
        self.path = path
        if let type = object["type"] as? String {
            rule = .type(type)
        } else if object.keys.contains("equals") {
            rule = .equals(String(decoding: try JSONSerialization.data(withJSONObject: object["equals"]!, options: [.fragmentsAllowed, .sortedKeys]), as: UTF8.self))
        } else if let pattern = object["matches"] as? String {
            rule = .matches(pattern)
        } else if object["present"] as? Bool == true {
            rule = .present
        } else if object["absent"] as? Bool == true {
            rule = .absent
        } else if let count = object["count"] as? Int {
            rule = .count(count)
        } else if let least = object["at_least"] as? Double {
            rule = .atLeast(least)
        } else if object["json_text"] as? Bool == true {
            rule = .jsonText
        } else {
            throw ConformanceError("\(file): matcher for \(path) needs one of type, equals, matches, present, absent, count, at_least, json_text")
        }
    }

    /// The matcher with `{{model}}` in its expected value replaced by `model`.
    func substituting(model: String) -> FieldMatcher {
        var copy = self
        switch rule {
        case .equals(let json): copy.rule = .equals(json.replacingOccurrences(of: "{{model}}", with: model.replacingOccurrences(of: "/", with: "\\/")))
        case .matches(let pattern): copy.rule = .matches(pattern.replacingOccurrences(of: "{{model}}", with: NSRegularExpression.escapedPattern(for: model)))
        default: break
        }
        return copy
    }

    /// Nil when `document` satisfies the rule, else what was wrong.
    public func failure(in document: Any) -> String? {
        let value = Self.resolve(path, in: document)
        switch rule {
        case .present: return value == nil ? "\(path): missing" : nil
        case .absent: return value == nil ? nil : "\(path): present but should be absent"
        case .type(let expected):
            guard let value else { return "\(path): missing (expected \(expected))" }
            let actual = Self.typeName(value)
            return actual == expected || (expected == "number" && actual == "integer") ? nil : "\(path): \(actual), expected \(expected)"
        case .equals(let json):
            guard let value else { return "\(path): missing (expected \(json))" }
            let actual = String(decoding: (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])) ?? Data(), as: UTF8.self)
            return actual == json ? nil : "\(path): \(actual), expected \(json)"
        case .matches(let pattern):
            guard let text = value as? String else { return "\(path): not a string" }
            return text.range(of: pattern, options: .regularExpression) != nil ? nil : "\(path): \"\(text.prefix(80))\" does not match /\(pattern)/"
        case .count(let expected):
            guard let array = value as? [Any] else { return "\(path): not an array" }
            return array.count == expected ? nil : "\(path): \(array.count) elements, expected \(expected)"
        case .atLeast(let least):
            guard let number = value as? NSNumber, !(value is String) else { return "\(path): not a number" }
            return number.doubleValue >= least ? nil : "\(path): \(number), expected at least \(least)"
        case .jsonText:
            guard let text = value as? String else { return "\(path): not a string" }
            return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil ? nil : "\(path): \"\(text.prefix(80))\" is not JSON"
        }
    }

    static func typeName(_ value: Any) -> String {
        if value is NSNull { return "null" }
        if let number = value as? NSNumber {
            let code = String(cString: number.objCType)
            if code == "c" { return "boolean" }
            return number.doubleValue == number.doubleValue.rounded() && code != "d" && code != "f" ? "integer" : "number"
        }
        if value is String { return "string" }
        if value is [Any] { return "array" }
        if value is [String: Any] { return "object" }
        return "unknown"
    }

    /// The value at `path` (`a.b[0].c`), nil when absent; JSON null is present (NSNull).
    static func resolve(_ path: String, in document: Any) -> Any? {
        var current: Any? = document
        for component in path.split(separator: ".") {
            var name = Substring(component)
            var indices: [Int] = []
            while let open = name.lastIndex(of: "["), name.hasSuffix("]"), let index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]) {
                indices.insert(index, at: 0)
                name = name[..<open]
            }
            if !name.isEmpty {
                guard let object = current as? [String: Any], let next = object[String(name)] else { return nil }
                current = next
            }
            for index in indices {
                guard let array = current as? [Any], index >= 0, index < array.count else { return nil }
                current = array[index]
            }
        }
        return current
    }
}
