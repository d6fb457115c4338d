import Foundation

/// A deterministic instance of a JSON Schema: the structured output of `response_format` and the arguments of a
/// simulated tool call. Its first free-form string (no `maxLength`, `enum`, `format`) is a slot that filler words
/// fill, so that the document has exactly the simulated number of output tokens.
struct SchemaInstance: Sendable {
    indirect enum Value: Sendable {
        case null, bool(Bool), integer(Int), number(Double), string(String), slot(String), array([Value]), object([(String, Value)])
    }

    let root: Value

    /// Whether filler can lengthen the document.
    var hasSlot: Bool { Self.containsSlot(root) }

    /// The instance of `json_object` mode: `{"text": "…"}`.
    static let jsonObject = SchemaInstance(root: .object([("text", .slot(""))]))

    /// The assertion keywords this generator cannot satisfy: a schema using them is refused with a 400.
    static let unsupportedKeywords = ["pattern", "patternProperties", "not", "if", "then", "else", "dependentSchemas",
                                      "dependentRequired", "contains", "propertyNames", "unevaluatedProperties", "unevaluatedItems"]
    /// Deepest nesting followed (a recursive `$ref` that is required at every level has no finite instance).
    static let maxDepth = 24

    init(root: Value) { self.root = root }

    /// The instance of `schema`; a schema it cannot satisfy is a 400 naming `param` and the keyword.
    init(schema: Any, param: String) throws(OpenAIError) {
        guard let object = schema as? [String: Any] else {
            throw OpenAIError.invalid("Invalid '\(param)': a JSON Schema must be an object.", param: param, code: "invalid_type")
        }
        var slotTaken = false
        root = try Self.build(object, path: param, document: object, depth: 0, slotTaken: &slotTaken)
    }

    /// The compact JSON text with `paddingTokens` filler words in the slot.
    func text(paddingTokens: Int) -> String {
        var out = ""
        Self.write(root, padding: FillerText.text(tokens: paddingTokens), into: &out)
        return out
    }

    private static func containsSlot(_ value: Value) -> Bool {
        switch value {
        case .slot: return true
        case .array(let items): return items.contains(where: containsSlot)
        case .object(let members): return members.contains { containsSlot($0.1) }
        default: return false
        }
    }

    private static func write(_ value: Value, padding: String, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .integer(let number): out += String(number)
        case .number(let number): out += number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .string(let text): out += JSONText.string(text)
        case .slot(let base): out += JSONText.string(base + padding)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                write(item, padding: padding, into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += "," }
                out += JSONText.string(member.0) + ":"
                write(member.1, padding: padding, into: &out)
            }
            out += "}"
        }
    }

    private static func fail(_ path: String, _ message: String) -> OpenAIError {
        OpenAIError.invalid("Invalid '\(path)': \(message)", param: path, code: "invalid_value")
    }

    private static func build(_ schema: [String: Any], path: String, document: [String: Any], depth: Int, slotTaken: inout Bool) throws(OpenAIError) -> Value {
        guard depth < maxDepth else { throw fail(path, "the schema nests deeper than \(maxDepth) levels (a recursive $ref that is always required?).") }
        if let keyword = unsupportedKeywords.first(where: { schema[$0] != nil }) {
            throw fail(path, "the simulator cannot generate instances for the keyword '\(keyword)'; supported: type, properties, required, items, enum, const, anyOf, oneOf, $ref, minimum, maximum, minLength, maxLength, minItems, maxItems, format.")
        }
        if let reference = schema["$ref"] as? String {
            return try build(resolve(reference, in: document, path: path), path: path, document: document, depth: depth + 1, slotTaken: &slotTaken)
        }
        if let constant = schema["const"] { return try value(of: constant, path: path + ".const") }
        if let options = schema["enum"] as? [Any] {
            guard let first = options.first else { throw fail(path + ".enum", "an empty enum has no instance.") }
            return try value(of: first, path: path + ".enum")
        }
        for keyword in ["anyOf", "oneOf", "allOf"] {
            guard let options = schema[keyword] else { continue }
            guard let list = options as? [[String: Any]], let first = list.first else { throw fail(path + "." + keyword, "expected a non-empty array of schemas.") }
            if keyword == "allOf" && list.count > 1 { throw fail(path + ".allOf", "the simulator supports allOf with one schema only.") }
            // The first alternative that is not just `null` (pydantic writes Optional[X] as anyOf [X, null]).
            let chosen = list.first { ($0["type"] as? String) != "null" } ?? first
            return try build(chosen, path: path + "." + keyword, document: document, depth: depth + 1, slotTaken: &slotTaken)
        }
        let type: String
        if let single = schema["type"] as? String {
            type = single
        } else if let list = schema["type"] as? [String], !list.isEmpty {
            type = list.first { $0 != "null" } ?? "null"
        } else if schema["properties"] != nil {
            type = "object"
        } else if schema["items"] != nil {
            type = "array"
        } else {
            type = "string"
        }
        switch type {
        case "object":
            let properties = schema["properties"] as? [String: Any] ?? [:]
            let required = Set(schema["required"] as? [String] ?? [])
            if let missing = required.subtracting(properties.keys).sorted().first {
                throw fail(path + ".required", "'\(missing)' is required but has no schema in properties.")
            }
            var members: [(String, Value)] = []
            // Required properties always; optional ones near the top, so that recursive schemas end.
            for name in properties.keys.sorted() where required.contains(name) || depth < 2 {
                guard let property = properties[name] as? [String: Any] else { throw fail("\(path).properties.\(name)", "a property's schema must be an object.") }
                members.append((name, try build(property, path: "\(path).properties.\(name)", document: document, depth: depth + 1, slotTaken: &slotTaken)))
            }
            if let least = schema["minProperties"] as? Int, least > members.count {
                throw fail(path + ".minProperties", "the simulator only generates the properties the schema names (\(members.count)).")
            }
            return .object(members)
        case "array":
            let least = schema["minItems"] as? Int ?? 1
            let most = schema["maxItems"] as? Int ?? Int.max
            let count = min(max(least, 1), most)
            if schema["uniqueItems"] as? Bool == true && count > 1 {
                throw fail(path + ".uniqueItems", "the simulator cannot generate distinct items.")
            }
            guard count > 0 else { return .array([]) }
            let itemSchema = schema["items"] as? [String: Any] ?? [:]
            let first = try build(itemSchema, path: "\(path).items", document: document, depth: depth + 1, slotTaken: &slotTaken)
            // Later items repeat the first without its slot, so that the padding stays in one place.
            var noSlot = true
            let rest = try build(itemSchema, path: "\(path).items", document: document, depth: depth + 1, slotTaken: &noSlot)
            let items = [first] + Array(repeating: rest, count: count - 1)
            return .array(items)
        case "string":
            let least = schema["minLength"] as? Int ?? 0
            if let format = schema["format"] as? String, let example = formatExamples[format] { return .string(example) }
            if schema["maxLength"] == nil && !slotTaken {
                slotTaken = true
                return .slot(String(repeating: "a", count: least))
            }
            let most = schema["maxLength"] as? Int ?? Int.max
            guard least <= most else { throw fail(path, "minLength \(least) exceeds maxLength \(most).") }
            return .string(String(repeating: "a", count: least))
        case "integer":
            let lower = number(schema["minimum"]).map { Int($0.rounded(.up)) } ?? number(schema["exclusiveMinimum"]).map { Int($0.rounded(.down)) + 1 }
            let upper = number(schema["maximum"]).map { Int($0.rounded(.down)) } ?? number(schema["exclusiveMaximum"]).map { Int($0.rounded(.up)) - 1 }
            var chosen = min(max(0, lower ?? 0), upper ?? Int.max)
            if let step = number(schema["multipleOf"]), step >= 1, step == step.rounded() {
                let step = Int(step)
                chosen = (chosen + step - 1).quotientAndRemainder(dividingBy: step).quotient * step
            }
            guard chosen >= (lower ?? Int.min), chosen <= (upper ?? Int.max) else { throw fail(path, "no integer satisfies its bounds.") }
            return .integer(chosen)
        case "number":
            let lower = number(schema["minimum"]) ?? number(schema["exclusiveMinimum"]).map { $0 + 0.5 }
            let upper = number(schema["maximum"]) ?? number(schema["exclusiveMaximum"]).map { $0 - 0.5 }
            var chosen = min(max(0, lower ?? 0), upper ?? .greatestFiniteMagnitude)
            if let lower, let upper, schema["exclusiveMinimum"] != nil || schema["exclusiveMaximum"] != nil { chosen = (lower + upper) / 2 }
            guard chosen >= (lower ?? -.greatestFiniteMagnitude), chosen <= (upper ?? .greatestFiniteMagnitude) else { throw fail(path, "no number satisfies its bounds.") }
            return .number(chosen)
        case "boolean": return .bool(true)
        case "null": return .null
        default: throw fail(path + ".type", "unknown type '\(type)'; expected object, array, string, integer, number, boolean or null.")
        }
    }

    /// Instances of the common string formats.
    static let formatExamples = [
        "date": "2025-01-01", "date-time": "2025-01-01T00:00:00Z", "time": "00:00:00", "email": "user@example.com",
        "uuid": "00000000-0000-4000-8000-000000000000", "uri": "https://example.com", "url": "https://example.com",
        "ipv4": "192.0.2.1", "ipv6": "2001:db8::1", "hostname": "example.com", "duration": "PT1S",
    ]

    /// A schema's numeric keyword, whether JSON gave it as an integer or not.
    private static func number(_ value: Any?) -> Double? {
        switch value {
        case let integer as Int: return Double(integer)
        case let double as Double: return double
        case let number as NSNumber where !JSONFields.isBool(number): return number.doubleValue
        default: return nil
        }
    }

    private static func resolve(_ reference: String, in document: [String: Any], path: String) throws(OpenAIError) -> [String: Any] {
        guard reference.hasPrefix("#") else { throw fail(path + ".$ref", "only references inside the schema (#/…) are supported, found '\(reference)'.") }
        var node: Any = document
        for part in reference.dropFirst().split(separator: "/") {
            let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let next = (node as? [String: Any])?[key] else { throw fail(path + ".$ref", "'\(reference)' points at nothing.") }
            node = next
        }
        guard let resolved = node as? [String: Any] else { throw fail(path + ".$ref", "'\(reference)' is not a schema.") }
        return resolved
    }

    private static func value(of json: Any, path: String) throws(OpenAIError) -> Value {
        if JSONFields.isBool(json), let flag = json as? Bool { return .bool(flag) }
        switch json {
        case let text as String: return .string(text)
        case let number as NSNumber:
            return JSONFields.isIntegerType(number) ? .integer(number.intValue) : .number(number.doubleValue)
        case let list as [Any]: return .array(try list.map { item throws(OpenAIError) in try value(of: item, path: path) })
        case let object as [String: Any]:
            return .object(try object.keys.sorted().map { key throws(OpenAIError) in (key, try value(of: object[key]!, path: path)) })
        default: return .null
        }
    }
}
