import Foundation
import SimEngine

/// The generation parameters shared by chat and text completions, validated.
struct GenerationParameters: Sendable {
    var model: String
    /// Output tokens asked for (`max_tokens` / `max_completion_tokens`), nil when not given.
    var maxTokens: Int?
    var n: Int
    var stream: Bool
    var includeUsage: Bool
    var stop: [String]
    var seed: Int?
    var temperature: Double?

    /// The longest stop sequence accepted: the search for stops in the filler grows with their length.
    static let maxStopLength = 256

    static func parse(_ fields: JSONFields) throws(OpenAIError) -> GenerationParameters {
        guard let model = try fields.string("model") else {
            throw OpenAIError.invalid("you must provide a model parameter", param: "model", code: "missing_required_parameter")
        }
        let maxCompletion = try fields.integer("max_completion_tokens", in: 1...10_000_000)
        let maxTokens = try fields.integer("max_tokens", in: 1...10_000_000)
        let stream = try fields.bool("stream") ?? false
        let options = try fields.object("stream_options")
        if options != nil && !stream {
            throw OpenAIError.invalid("The 'stream_options' parameter is only allowed when 'stream' is enabled.", param: "stream_options")
        }
        var stop: [String] = []
        if let raw = fields.raw("stop") {
            if let single = raw as? String {
                stop = [single]
            } else if let list = raw as? [Any], list.count <= 4, let strings = list as? [String] {
                stop = strings
            } else {
                throw OpenAIError.invalid("Invalid 'stop': expected a string or an array of at most 4 strings.", param: "stop", code: "invalid_type")
            }
            if let long = stop.first(where: { $0.count > maxStopLength }) {
                throw OpenAIError.invalid("Invalid 'stop': each sequence may have at most \(maxStopLength) characters, found one of \(long.count).",
                                          param: "stop", code: "invalid_value")
            }
        }
        _ = try fields.number("top_p", in: 0...1)
        _ = try fields.number("presence_penalty", in: -2...2)
        _ = try fields.number("frequency_penalty", in: -2...2)
        return GenerationParameters(
            model: model, maxTokens: maxCompletion ?? maxTokens, n: try fields.integer("n", in: 1...128) ?? 1, stream: stream,
            includeUsage: try options?.bool("include_usage") ?? false, stop: stop,
            seed: try fields.integer("seed", in: Int(Int64.min / 2)...Int(Int64.max / 2)),
            temperature: try fields.number("temperature", in: 0...2))
    }
}

/// A validated `POST /v1/chat/completions` body.
struct ChatCompletionRequest: Sendable {
    var parameters: GenerationParameters
    var promptTokens: Int
    /// The prompt's token ids under `PromptTokenizer`, for prefix caching.
    var promptIDs: [UInt32]

    static let roles: Set<String> = ["system", "developer", "user", "assistant", "tool", "function"]

    static func parse(_ fields: JSONFields) throws(OpenAIError) -> ChatCompletionRequest {
        let parameters = try GenerationParameters.parse(fields)
        guard let raw = fields.raw("messages") else {
            throw OpenAIError.invalid("Missing required parameter: 'messages'.", param: "messages", code: "missing_required_parameter")
        }
        guard let list = raw as? [Any] else {
            throw OpenAIError.invalid("Invalid type for 'messages': expected an array, but got \(JSONFields.describe(raw)) instead.", param: "messages", code: "invalid_type")
        }
        guard !list.isEmpty else {
            throw OpenAIError.invalid("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", param: "messages", code: "empty_array")
        }
        var messages: [(role: String, content: String, name: String?)] = []
        for (index, item) in list.enumerated() {
            let param = "messages[\(index)]"
            guard let object = item as? [String: Any] else {
                throw OpenAIError.invalid("Invalid type for '\(param)': expected an object, but got \(JSONFields.describe(item)) instead.", param: param, code: "invalid_type")
            }
            let message = JSONFields(object, path: param + ".")
            guard let role = try message.string("role") else {
                throw OpenAIError.invalid("Missing required parameter: '\(param).role'.", param: "\(param).role", code: "missing_required_parameter")
            }
            guard roles.contains(role) else {
                throw OpenAIError.invalid("Invalid value: '\(role)'. Supported values are: 'system', 'developer', 'user', 'assistant', 'tool', and 'function'.", param: "\(param).role", code: "invalid_value")
            }
            messages.append((role, try content(message, param: param, role: role), try message.string("name")))
        }
        let ids = PromptTokenizer.ids(messages: messages)
        return ChatCompletionRequest(parameters: parameters, promptTokens: ids.count, promptIDs: ids)
    }

    /// A message's text: a string, or an array of parts whose `text` fields are joined (other parts count nothing).
    private static func content(_ message: JSONFields, param: String, role: String) throws(OpenAIError) -> String {
        guard let raw = message.raw("content") else {
            if role == "assistant" || role == "tool" { return "" }
            throw OpenAIError.invalid("Missing required parameter: '\(param).content'.", param: "\(param).content", code: "missing_required_parameter")
        }
        if let text = raw as? String { return text }
        guard let parts = raw as? [Any] else {
            throw OpenAIError.invalid("Invalid type for '\(param).content': expected one of a string or array of objects, but got \(JSONFields.describe(raw)) instead.", param: "\(param).content", code: "invalid_type")
        }
        var text = ""
        for (index, part) in parts.enumerated() {
            guard let object = part as? [String: Any], object["type"] is String else {
                throw OpenAIError.invalid("Invalid '\(param).content[\(index)]': expected an object with a 'type'.", param: "\(param).content[\(index)]", code: "invalid_type")
            }
            if let partText = object["text"] as? String { text += partText }
        }
        return text
    }
}

/// A validated `POST /v1/completions` body: one or more prompts, as text or token ids.
struct CompletionRequest: Sendable {
    struct Prompt: Sendable {
        /// The text, for echo; nil for token-id prompts.
        var text: String?
        /// Token ids: the client's, or `PromptTokenizer`'s for text.
        var ids: [UInt32]
        var tokens: Int { ids.count }

        init(text: String) {
            self.text = text
            ids = PromptTokenizer.ids(text)
        }

        init(ids list: [Any]) {
            text = nil
            ids = list.map { UInt32(($0 as! NSNumber).doubleValue) }
        }
    }

    var parameters: GenerationParameters
    var prompts: [Prompt]
    var echo: Bool

    /// Output tokens of a text completion without `max_tokens`, as in OpenAI's reference and vLLM.
    static let defaultMaxTokens = 16

    static func parse(_ fields: JSONFields) throws(OpenAIError) -> CompletionRequest {
        var parameters = try GenerationParameters.parse(fields)
        parameters.maxTokens = parameters.maxTokens ?? defaultMaxTokens
        guard let raw = fields.raw("prompt") else {
            throw OpenAIError.invalid("Missing required parameter: 'prompt'.", param: "prompt", code: "missing_required_parameter")
        }
        let prompts: [Prompt]
        if let text = raw as? String {
            prompts = [Prompt(text: text)]
        } else if let list = raw as? [Any], !list.isEmpty {
            if list.allSatisfy({ $0 is String }) {
                prompts = (list as! [String]).map { Prompt(text: $0) }
            } else if list.allSatisfy(isTokenID) {
                prompts = [Prompt(ids: list)]
            } else if list.allSatisfy({ ($0 as? [Any]).map { !$0.isEmpty && $0.allSatisfy(isTokenID) } ?? false }) {
                prompts = list.map { Prompt(ids: $0 as! [Any]) }
            } else {
                throw invalidPrompt
            }
        } else {
            throw invalidPrompt
        }
        return CompletionRequest(parameters: parameters, prompts: prompts, echo: try fields.bool("echo") ?? false)
    }

    private static let invalidPrompt = OpenAIError.invalid(
        "Invalid 'prompt': expected a string, an array of strings, an array of token ids (non-negative integers), or an array of token-id arrays.",
        param: "prompt", code: "invalid_type")

    private static func isTokenID(_ value: Any) -> Bool {
        guard let number = value as? NSNumber, !JSONFields.isBool(value) else { return false }
        return number.doubleValue == number.doubleValue.rounded() && number.doubleValue >= 0 && number.doubleValue < 1e9
    }
}
