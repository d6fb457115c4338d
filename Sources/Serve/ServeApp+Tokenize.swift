import Foundation
import Hummingbird

/// vLLM's `/tokenize` and `/detokenize`, with `PromptTokenizer`'s approximation: the count of a prompt here is
/// the count that `/v1/completions` and `/v1/chat/completions` charge for it.
extension ServeApp {
    /// `{"count", "max_model_len", "tokens", "token_strs"}` of a `prompt` or of chat `messages`.
    func tokenize(_ request: Request) async throws -> String {
        var request = request
        let fields = try JSONFields.parse(Array(buffer: try await body(&request)))
        let model = try fields.string("model") ?? servedNames[0].name
        guard let driver = driver(named: model) else { throw OpenAIError.modelNotFound(model) }
        _ = try fields.bool("add_special_tokens")
        let tokens: [Int]
        if let prompt = try fields.string("prompt") {
            tokens = TokenIDs.ids(of: prompt)
        } else if fields.has("messages") {
            let chat = try ChatCompletionRequest.parseMessages(fields)
            tokens = TokenIDs.ids(messages: chat, addGenerationPrompt: try fields.bool("add_generation_prompt") ?? true)
                + (ChatCompletionRequest.toolsText(fields).map(TokenIDs.ids(of:)) ?? [])
        } else {
            throw OpenAIError.invalid("Missing required parameter: 'prompt' or 'messages'.", param: "prompt", code: "missing_required_parameter")
        }
        let strings = try fields.bool("return_token_strs") == true
            ? "[" + tokens.map { JSONText.string(TokenIDs.text(of: $0)!) }.joined(separator: ",") + "]" : "null"
        return "{\"count\":\(tokens.count),\"max_model_len\":\(driver.maxContext),\"tokens\":[\(tokens.map(String.init).joined(separator: ","))],\"token_strs\":\(strings)}"
    }

    /// `{"prompt"}`: the text of `tokens`.
    func detokenize(_ request: Request) async throws -> String {
        var request = request
        let fields = try JSONFields.parse(Array(buffer: try await body(&request)))
        let model = try fields.string("model") ?? servedNames[0].name
        guard driver(named: model) != nil else { throw OpenAIError.modelNotFound(model) }
        guard let raw = fields.raw("tokens") else {
            throw OpenAIError.invalid("Missing required parameter: 'tokens'.", param: "tokens", code: "missing_required_parameter")
        }
        guard let list = raw as? [Any] else {
            throw OpenAIError.invalid("Invalid type for 'tokens': expected an array of token ids, but got \(JSONFields.describe(raw)) instead.", param: "tokens", code: "invalid_type")
        }
        var text = ""
        for (index, item) in list.enumerated() {
            guard let number = item as? NSNumber, !JSONFields.isBool(item), JSONFields.isIntegerType(number),
                  let piece = TokenIDs.text(of: number.intValue) else {
                throw OpenAIError.invalid("Invalid 'tokens[\(index)]': \(item) is not a token id of this server's tokenizer.", param: "tokens[\(index)]", code: "invalid_value")
            }
            text += piece
        }
        return "{\"prompt\":\(JSONText.string(text))}"
    }
}
