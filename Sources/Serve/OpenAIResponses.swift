import SimEngine

/// Token counts of a response.
struct Usage: Sendable {
    var promptTokens: Int
    var completionTokens: Int
    /// Prompt tokens found in the prefix cache (vLLM's `prompt_tokens_details.cached_tokens`).
    var cachedTokens = 0

    var json: String {
        "{\"prompt_tokens\":\(promptTokens),\"completion_tokens\":\(completionTokens),\"total_tokens\":\(promptTokens + completionTokens),\"prompt_tokens_details\":{\"cached_tokens\":\(cachedTokens)}}"
    }
}

/// One finished choice: its text, why it ended, and its simulated timeline.
struct FinishedChoice: Sendable {
    var index: Int
    var text: String
    var finishReason: String
    var record: RequestRecord
    /// The call the choice makes instead of content (chat with tools).
    var toolCall: ChoicePlan.ToolCall? = nil
    /// The `logprobs` object as JSON; nil gives `null`.
    var logprobs: String? = nil
}

/// The simulated timing, as an extra `simulation` field that OpenAI clients ignore.
enum SimulationField {
    static func json(_ record: RequestRecord, hardware: String) -> String {
        "{\"hardware\":\(JSONText.string(hardware)),\"arrival_s\":\(JSONText.number(record.arrival.seconds)),\"ttft_ms\":\(JSONText.number(record.ttft.milliseconds)),"
            + "\"tpot_ms\":\(JSONText.number(record.tpot.milliseconds)),\"e2e_ms\":\(JSONText.number(record.latency.milliseconds)),"
            + "\"queued_ms\":\(JSONText.number(record.queuingDelay.milliseconds)),\"preemptions\":\(record.preemptions)}"
    }
}

/// The bodies of chat completions: `chat.completion` and `chat.completion.chunk`.
struct ChatBodies {
    let includeUsageField: Bool
    /// The fields every body starts with, escaped once: chunks are built per token.
    private let head: String

    init(id: String, created: Int, model: String, includeUsageField: Bool) {
        self.includeUsageField = includeUsageField
        head = "\"id\":\(JSONText.string(id)),\"created\":\(created),\"model\":\(JSONText.string(model)),\"system_fingerprint\":\"llmservingsim\""
    }

    func completion(_ choices: [FinishedChoice], usage: Usage, hardware: String) -> String {
        let items = choices.map { choice in
            let message = choice.toolCall.map { call in
                "{\"role\":\"assistant\",\"content\":null,\"refusal\":null,\"tool_calls\":[{\"id\":\(JSONText.string(call.id)),\"type\":\"function\",\"function\":{\"name\":\(JSONText.string(call.name)),\"arguments\":\(JSONText.string(choice.text))}}]}"
            } ?? "{\"role\":\"assistant\",\"content\":\(JSONText.string(choice.text)),\"refusal\":null}"
            return "{\"index\":\(choice.index),\"message\":\(message),\"logprobs\":\(choice.logprobs ?? "null"),\"finish_reason\":\"\(choice.finishReason)\"}"
        }
        return "{\(head),\"object\":\"chat.completion\",\"choices\":[\(items.joined(separator: ","))],\"usage\":\(usage.json),\"simulation\":\(SimulationField.json(choices[0].record, hardware: hardware))}"
    }

    private func chunk(_ choice: String, extra: String = "") -> String {
        "{\(head),\"object\":\"chat.completion.chunk\",\"choices\":[\(choice)]\(includeUsageField ? ",\"usage\":null" : "")\(extra)}"
    }

    func roleChunk(index: Int) -> String {
        chunk("{\"index\":\(index),\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}")
    }

    func contentChunk(index: Int, text: String, logprobs: String? = nil) -> String {
        chunk("{\"index\":\(index),\"delta\":{\"content\":\(JSONText.string(text))},\"logprobs\":\(logprobs ?? "null"),\"finish_reason\":null}")
    }

    /// A piece of a tool call's arguments; the first chunk of a call (`call` given) carries its id and name.
    func toolCallChunk(index: Int, call: ChoicePlan.ToolCall?, arguments: String, logprobs: String? = nil) -> String {
        let head = call.map { "\"id\":\(JSONText.string($0.id)),\"type\":\"function\"," } ?? ""
        let name = call.map { "\"name\":\(JSONText.string($0.name))," } ?? ""
        return chunk("{\"index\":\(index),\"delta\":{\"tool_calls\":[{\"index\":0,\(head)\"function\":{\(name)\"arguments\":\(JSONText.string(arguments))}}]},\"logprobs\":\(logprobs ?? "null"),\"finish_reason\":null}")
    }

    func finishChunk(index: Int, reason: String, record: RequestRecord, hardware: String) -> String {
        chunk("{\"index\":\(index),\"delta\":{},\"logprobs\":null,\"finish_reason\":\"\(reason)\"}",
              extra: ",\"simulation\":\(SimulationField.json(record, hardware: hardware))")
    }

    func usageChunk(_ usage: Usage) -> String {
        "{\(head),\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":\(usage.json)}"
    }
}

/// The bodies of text completions: `text_completion`, whole or in chunks.
struct TextBodies {
    let includeUsageField: Bool
    /// The fields every body starts with, escaped once: chunks are built per token.
    private let head: String

    init(id: String, created: Int, model: String, includeUsageField: Bool) {
        self.includeUsageField = includeUsageField
        head = "\"id\":\(JSONText.string(id)),\"object\":\"text_completion\",\"created\":\(created),\"model\":\(JSONText.string(model)),\"system_fingerprint\":\"llmservingsim\""
    }

    func completion(_ choices: [FinishedChoice], usage: Usage, hardware: String) -> String {
        let items = choices.map {
            "{\"index\":\($0.index),\"text\":\(JSONText.string($0.text)),\"logprobs\":\($0.logprobs ?? "null"),\"finish_reason\":\"\($0.finishReason)\"}"
        }
        return "{\(head),\"choices\":[\(items.joined(separator: ","))],\"usage\":\(usage.json),\"simulation\":\(SimulationField.json(choices[0].record, hardware: hardware))}"
    }

    func textChunk(index: Int, text: String, finishReason: String?, simulation: String? = nil, logprobs: String? = nil) -> String {
        "{\(head),\"choices\":[{\"index\":\(index),\"text\":\(JSONText.string(text)),\"logprobs\":\(logprobs ?? "null"),\"finish_reason\":\(JSONText.optional(finishReason))}]"
            + (includeUsageField ? ",\"usage\":null" : "") + (simulation.map { ",\"simulation\":\($0)" } ?? "") + "}"
    }

    func usageChunk(_ usage: Usage) -> String { "{\(head),\"choices\":[],\"usage\":\(usage.json)}" }
}
