/// Request fields that would change the output in ways the simulator cannot reproduce: a 400 naming the field,
/// never a silent 200. Fields that only steer sampling (`top_k`, `logit_bias`, …) are checked for type and accepted.
enum UnsupportedFields {
    /// Field → why it is refused.
    static let refused: [(field: String, reason: String)] = [
        ("prompt_logprobs", "prompt log-probabilities are not simulated; use echo with logprobs on /v1/completions"),
        ("guided_regex", "regex-guided decoding is not simulated; use response_format json_schema"),
        ("guided_choice", "choice-guided decoding is not simulated; use response_format json_schema with an enum"),
        ("guided_grammar", "grammar-guided decoding is not simulated; use response_format json_schema"),
        ("audio", "audio output is not simulated"),
        ("prediction", "predicted outputs are not simulated"),
        ("web_search_options", "web search is not simulated"),
    ]

    static func refuse(_ fields: JSONFields) throws(OpenAIError) {
        for (field, reason) in refused where fields.has(field) {
            throw OpenAIError.invalid("'\(field)' is not supported: \(reason).", param: field, code: "unsupported_parameter")
        }
        if let modalities = fields.raw("modalities") {
            guard let list = modalities as? [String], list.allSatisfy({ $0 == "text" }) else {
                throw OpenAIError.invalid("'modalities' may only be [\"text\"]: the simulator generates text.", param: "modalities", code: "unsupported_parameter")
            }
        }
        _ = try fields.integer("top_k", in: -1...1_000_000)
        _ = try fields.number("min_p", in: 0...1)
        _ = try fields.number("repetition_penalty", in: 0...1e6)
        _ = try fields.object("logit_bias")
    }
}
