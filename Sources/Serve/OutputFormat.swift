import Foundation

/// A function the client offers in `tools`: its name and an instance of its parameter schema.
struct ToolSpec: Sendable {
    var name: String
    var arguments: SchemaInstance
}

/// `tool_choice`: whether a choice calls a tool, and which.
enum ToolChoice: Sendable, Equatable {
    case none, auto, required
    case named(String)
}

/// What a choice's text is made of: filler, a JSON document (`response_format`, vLLM's `guided_json`), or a call
/// of one of `tools`.
struct OutputFormat: Sendable {
    var document: SchemaInstance?
    var tools: [ToolSpec] = []
    var toolChoice: ToolChoice = .none

    /// Reads `response_format` (and vLLM's `guided_json`, `structured_outputs.json`).
    static func parseDocument(_ fields: JSONFields) throws(OpenAIError) -> SchemaInstance? {
        if let guided = fields.raw("guided_json") {
            return try SchemaInstance(schema: try jsonValue(guided, param: "guided_json"), param: "guided_json")
        }
        if let structured = try fields.object("structured_outputs") {
            for key in ["regex", "choice", "grammar", "structural_tag"] where structured.has(key) {
                throw OpenAIError.invalid("'structured_outputs.\(key)' is not supported by the simulator; use 'json' or response_format.",
                                          param: "structured_outputs.\(key)", code: "unsupported_parameter")
            }
            if let json = structured.raw("json") {
                return try SchemaInstance(schema: try jsonValue(json, param: "structured_outputs.json"), param: "structured_outputs.json")
            }
        }
        guard let format = try fields.object("response_format") else { return nil }
        switch try format.string("type") {
        case "text"?: return nil
        case "json_object"?: return .jsonObject
        case "json_schema"?:
            guard let wrapper = try format.object("json_schema") else {
                throw OpenAIError.invalid("Missing required parameter: 'response_format.json_schema'.", param: "response_format.json_schema", code: "missing_required_parameter")
            }
            guard try wrapper.string("name") != nil else {
                throw OpenAIError.invalid("Missing required parameter: 'response_format.json_schema.name'.", param: "response_format.json_schema.name", code: "missing_required_parameter")
            }
            _ = try wrapper.bool("strict")
            guard let schema = wrapper.raw("schema") else { return .jsonObject }
            return try SchemaInstance(schema: schema, param: "response_format.json_schema.schema")
        case let other:
            throw OpenAIError.invalid("Invalid value: '\(other ?? "null")'. Supported values are: 'text', 'json_object' and 'json_schema'.",
                                      param: "response_format.type", code: "invalid_value")
        }
    }

    /// vLLM accepts a schema as an object or as JSON text.
    private static func jsonValue(_ raw: Any, param: String) throws(OpenAIError) -> Any {
        guard let text = raw as? String else { return raw }
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else {
            throw OpenAIError.invalid("Invalid '\(param)': not valid JSON.", param: param, code: "invalid_value")
        }
        return parsed
    }

    /// Reads `tools` and `tool_choice` (default `auto` when tools are given, as OpenAI's).
    static func parseTools(_ fields: JSONFields) throws(OpenAIError) -> (tools: [ToolSpec], choice: ToolChoice) {
        for legacy in ["functions", "function_call"] where fields.has(legacy) {
            throw OpenAIError.invalid("'\(legacy)' is deprecated and not supported; use 'tools' and 'tool_choice'.", param: legacy, code: "unsupported_parameter")
        }
        var tools: [ToolSpec] = []
        if let raw = fields.raw("tools") {
            guard let list = raw as? [Any] else {
                throw OpenAIError.invalid("Invalid type for 'tools': expected an array, but got \(JSONFields.describe(raw)) instead.", param: "tools", code: "invalid_type")
            }
            for (index, item) in list.enumerated() {
                let param = "tools[\(index)]"
                guard let object = item as? [String: Any] else {
                    throw OpenAIError.invalid("Invalid type for '\(param)': expected an object, but got \(JSONFields.describe(item)) instead.", param: param, code: "invalid_type")
                }
                let tool = JSONFields(object, path: param + ".")
                guard try tool.string("type") == "function" else {
                    throw OpenAIError.invalid("Invalid value for '\(param).type': only 'function' tools are supported.", param: "\(param).type", code: "invalid_value")
                }
                guard let function = try tool.object("function"), let name = try function.string("name"), !name.isEmpty else {
                    throw OpenAIError.invalid("Missing required parameter: '\(param).function.name'.", param: "\(param).function.name", code: "missing_required_parameter")
                }
                let schema = function.raw("parameters") ?? ["type": "object", "properties": [String: Any]()]
                tools.append(ToolSpec(name: name, arguments: try SchemaInstance(schema: schema, param: "\(param).function.parameters")))
            }
        }
        _ = try fields.bool("parallel_tool_calls")
        guard let raw = fields.raw("tool_choice") else { return (tools, tools.isEmpty ? .none : .auto) }
        let choice: ToolChoice
        switch raw {
        case "none" as String: choice = .none
        case "auto" as String: choice = .auto
        case "required" as String: choice = .required
        case let object as [String: Any]:
            guard object["type"] as? String == "function", let name = (object["function"] as? [String: Any])?["name"] as? String else {
                throw OpenAIError.invalid("Invalid 'tool_choice': expected {\"type\": \"function\", \"function\": {\"name\": …}}.", param: "tool_choice", code: "invalid_value")
            }
            guard tools.contains(where: { $0.name == name }) else {
                throw OpenAIError.invalid("Invalid 'tool_choice': no tool named '\(name)' in 'tools'.", param: "tool_choice", code: "invalid_value")
            }
            choice = .named(name)
        default:
            throw OpenAIError.invalid("Invalid 'tool_choice': expected 'none', 'auto', 'required' or a named function.", param: "tool_choice", code: "invalid_value")
        }
        if choice != .none && tools.isEmpty {
            throw OpenAIError.invalid("When using 'tool_choice', 'tools' must be set.", param: "tool_choice", code: "invalid_value")
        }
        return (tools, choice)
    }
}
