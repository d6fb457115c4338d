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
        let vocabSize = vocabSizes[driver.model]!
        _ = try fields.bool("add_special_tokens")
        var tokens: [(id: Int, text: String)]
        if let prompt = try fields.string("prompt") {
            tokens = PromptTokenizer.pieces(prompt).map { (TokenIDs.id(of: $0, vocabSize: vocabSize), $0) }
        } else if fields.has("messages") {
            let messages = try ChatCompletionRequest.parseMessages(fields)
            tokens = TokenIDs.tokens(messages: messages, addGenerationPrompt: try fields.bool("add_generation_prompt") ?? true, vocabSize: vocabSize)
            tokens += PromptTokenizer.pieces(ChatCompletionRequest.toolsText(fields) ?? "").map { (TokenIDs.id(of: $0, vocabSize: vocabSize), $0) }
        } else {
            throw OpenAIError.invalid("Missing required parameter: 'prompt' or 'messages'.", param: "prompt", code: "missing_required_parameter")
        }
        let strings = try fields.bool("return_token_strs") == true ? "[" + tokens.map { JSONText.string($0.text) }.joined(separator: ",") + "]" : "null"
        return "{\"count\":\(tokens.count),\"max_model_len\":\(driver.maxContext),\"tokens\":[\(tokens.map { String($0.id) }.joined(separator: ","))],\"token_strs\":\(strings)}"
    }

    /// `{"prompt"}`: text of as many tokens as `tokens` (filler: there is no real vocabulary to decode with).
    func detokenize(_ request: Request) async throws -> String {
        var request = request
        let fields = try JSONFields.parse(Array(buffer: try await body(&request)))
        let model = try fields.string("model") ?? servedNames[0].name
        guard let driver = driver(named: model) else { throw OpenAIError.modelNotFound(model) }
        let vocabSize = vocabSizes[driver.model]!
        guard let raw = fields.raw("tokens") else {
            throw OpenAIError.invalid("Missing required parameter: 'tokens'.", param: "tokens", code: "missing_required_parameter")
        }
        guard let list = raw as? [Any] else {
            throw OpenAIError.invalid("Invalid type for 'tokens': expected an array of token ids, but got \(JSONFields.describe(raw)) instead.", param: "tokens", code: "invalid_type")
        }
        var text = ""
        for (index, item) in list.enumerated() {
            guard let number = item as? NSNumber, !JSONFields.isBool(item), JSONFields.isIntegerType(number),
                  let piece = TokenIDs.text(of: number.intValue, vocabSize: vocabSize) else {
                throw OpenAIError.invalid("Invalid 'tokens[\(index)]': \(item) is not a token id of \(model) (vocabulary of \(vocabSize)).",
                                          param: "tokens[\(index)]", code: "invalid_value")
            }
            text += piece
        }
        return "{\"prompt\":\(JSONText.string(text))}"
    }
}
