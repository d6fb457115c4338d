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
    /// Output tokens before which no stop ends a choice (vLLM's `min_tokens`).
    var minTokens = 0
    /// Without `max_tokens`, generate to the context's end (vLLM's `ignore_eos`).
    var ignoreEOS = false
    /// Keep the stop sequence in the output (vLLM's `include_stop_str_in_output`).
    var includeStop = false
    /// Alternatives per output token when log-probabilities are asked for; nil for none.
    var logprobs: Int?
    /// What the text is: filler, a JSON document or a tool call.
    var format = OutputFormat()

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
        try UnsupportedFields.refuse(fields)
        let n = try fields.integer("n", in: 1...128) ?? 1
        if let bestOf = try fields.integer("best_of", in: 1...128), bestOf != n {
            throw OpenAIError.invalid("'best_of' (\(bestOf)) other than 'n' (\(n)) is not supported: the simulator returns every sequence it generates.",
                                      param: "best_of", code: "unsupported_parameter")
        }
        var parameters = GenerationParameters(
            model: model, maxTokens: maxCompletion ?? maxTokens, n: n, stream: stream,
            includeUsage: try options?.bool("include_usage") ?? false, stop: stop,
            seed: try fields.integer("seed", in: Int(Int64.min / 2)...Int(Int64.max / 2)),
            temperature: try fields.number("temperature", in: 0...2))
        parameters.minTokens = try fields.integer("min_tokens", in: 0...10_000_000) ?? 0
        if let maxTokens = parameters.maxTokens, parameters.minTokens > maxTokens {
            throw OpenAIError.invalid("min_tokens must be less than or equal to max_tokens=\(maxTokens), got \(parameters.minTokens).",
                                      param: "min_tokens", code: "invalid_value")
        }
        parameters.ignoreEOS = try fields.bool("ignore_eos") ?? false
        parameters.includeStop = try fields.bool("include_stop_str_in_output") ?? false
        parameters.format.document = try OutputFormat.parseDocument(fields)
        return parameters
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
        var parameters = try GenerationParameters.parse(fields)
        let top = try fields.integer("top_logprobs", in: 0...SimulatedLogprobs.maxTop)
        if try fields.bool("logprobs") == true {
            parameters.logprobs = top ?? 0
        } else if top != nil {
            throw OpenAIError.invalid("When using 'top_logprobs', 'logprobs' must be set to true.", param: "top_logprobs", code: "invalid_value")
        }
        (parameters.format.tools, parameters.format.toolChoice) = try OutputFormat.parseTools(fields)
        if parameters.format.document != nil && parameters.format.toolChoice != .none {
            throw OpenAIError.invalid("'response_format' and 'tools' cannot both shape the output; set tool_choice to 'none' or drop response_format.",
                                      param: "response_format", code: "invalid_value")
        }
        let messages = try parseMessages(fields)
        // The tools' definitions lead the prompt, as chat templates write them, so later turns keep the prefix.
        let ids = (toolsText(fields).map { PromptTokenizer.ids($0) } ?? []) + PromptTokenizer.ids(messages: messages)
        return ChatCompletionRequest(parameters: parameters, promptTokens: ids.count, promptIDs: ids)
    }

    /// The tools' definitions as the chat template writes them into the prompt (JSON); nil without tools.
    static func toolsText(_ fields: JSONFields) -> String? {
        guard let tools = fields.raw("tools") as? [Any], !tools.isEmpty,
              let data = try? JSONSerialization.data(withJSONObject: tools, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The validated `messages`: each one's role, text and name.
    static func parseMessages(_ fields: JSONFields) throws(OpenAIError) -> [(role: String, content: String, name: String?)] {
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
            messages.append((role, try content(message, param: param, role: role) + toolCallText(message), try message.string("name")))
        }
        return messages
    }

    /// The names and arguments of an assistant message's `tool_calls`, which the template writes into the prompt.
    private static func toolCallText(_ message: JSONFields) -> String {
        guard let calls = message.raw("tool_calls") as? [[String: Any]] else { return "" }
        return calls.compactMap { call in
            (call["function"] as? [String: Any]).map { "\($0["name"] as? String ?? "") \($0["arguments"] as? String ?? "")" }
        }.joined(separator: " ")
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
    /// The largest token id of token-id prompts (checked against the model's vocabulary), nil for text.
    var largestTokenID: Int?

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
        parameters.logprobs = try fields.integer("logprobs", in: 0...SimulatedLogprobs.maxTop)
        if fields.has("suffix") {
            throw OpenAIError.invalid("'suffix' is not supported.", param: "suffix", code: "unsupported_parameter")
        }
        let ids = (raw as? [Any] ?? []).flatMap { $0 as? [Any] ?? [$0] }.compactMap { ($0 as? NSNumber)?.intValue }
        return CompletionRequest(parameters: parameters, prompts: prompts, echo: try fields.bool("echo") ?? false, largestTokenID: ids.max())
    }

    private static let invalidPrompt = OpenAIError.invalid(
        "Invalid 'prompt': expected a string, an array of strings, an array of token ids (non-negative integers), or an array of token-id arrays.",
        param: "prompt", code: "invalid_type")

    private static func isTokenID(_ value: Any) -> Bool {
        guard let number = value as? NSNumber, !JSONFields.isBool(value) else { return false }
        return number.doubleValue == number.doubleValue.rounded() && number.doubleValue >= 0 && number.doubleValue < 1e9
    }
}
