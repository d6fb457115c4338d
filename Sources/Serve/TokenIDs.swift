/// Token ids of `PromptTokenizer`'s pieces, inside the model's vocabulary: a token's id is a hash of its text
/// (FNV-1a), the chat template's special tokens take the vocabulary's last ids. There is no real vocabulary, so
/// `/detokenize` gives, like the echo of a token-id prompt, one filler word per id: text of as many tokens.
public enum TokenIDs {
    /// Special tokens of the chat template: a message is `<|im_start|>`, its role, its content (and name), `<|im_end|>`.
    public static let specials = ["<|im_start|>", "<|im_end|>", "system", "developer", "user", "assistant", "tool", "function"]

    /// The id of one piece of `PromptTokenizer.pieces` in a vocabulary of `vocabSize` ids.
    public static func id(of piece: String, vocabSize: Int) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in piece.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return Int(hash % UInt64(vocabSize - specials.count))
    }

    /// The ids of `text`.
    public static func ids(of text: String, vocabSize: Int) -> [Int] {
        PromptTokenizer.pieces(text).map { id(of: $0, vocabSize: vocabSize) }
    }

    /// The id of a chat-template token (`<|im_start|>`, a role, …).
    public static func special(_ name: String, vocabSize: Int) -> Int {
        vocabSize - specials.count + specials.firstIndex(of: name)!
    }

    /// The text `/detokenize` gives for `id`: one filler word; nil outside the vocabulary.
    public static func text(of id: Int, vocabSize: Int) -> String? {
        guard id >= 0, id < vocabSize else { return nil }
        return FillerText.words[id % FillerText.words.count]
    }

    /// The ids and texts of a chat prompt, `PromptTokenizer.count(messages:)` of them; the last 3 prime the
    /// assistant's turn.
    public static func tokens(messages: [(role: String, content: String, name: String?)], addGenerationPrompt: Bool,
                              vocabSize: Int) -> [(id: Int, text: String)] {
        func special(_ name: String) -> (id: Int, text: String) { (Self.special(name, vocabSize: vocabSize), name) }
        func text(_ text: String) -> [(id: Int, text: String)] {
            PromptTokenizer.pieces(text).map { (id(of: $0, vocabSize: vocabSize), $0) }
        }
        var tokens: [(id: Int, text: String)] = []
        for message in messages {
            tokens += [special("<|im_start|>"), special(message.role)] + text(message.name ?? "")
            tokens += text("\n" + message.content) + [special("<|im_end|>"), (id(of: "\n", vocabSize: vocabSize), "\n")]
        }
        if addGenerationPrompt { tokens += [special("<|im_start|>"), special("assistant"), (id(of: "\n", vocabSize: vocabSize), "\n")] }
        return tokens
    }
}
