/// Token ids of `PromptTokenizer`'s pieces, reversible: an id encodes the whitespace before the token (none, space,
/// newline or tab), then either a run of 1–4 ASCII letters and digits (base 62) or one Unicode scalar. Chat
/// templates use a few special ids above those. The ids are not the model's vocabulary.
public enum TokenIDs {
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".unicodeScalars)
    /// Ids of the runs of each length 1...4 start here.
    static let runOffsets = [0, 62, 62 + 3844, 62 + 3844 + 238_328, 62 + 3844 + 238_328 + 14_776_336]
    static let scalarOffset = runOffsets[4]
    /// Ids of one whitespace prefix.
    static let bodyCount = scalarOffset + 0x110000
    static let prefixes = ["", " ", "\n", "\t"]
    /// The first special id.
    public static let specialOffset = prefixes.count * bodyCount
    /// Special tokens of the chat template: a message is `<|im_start|>`, its role, its content (and name), `<|im_end|>`.
    public static let specials = ["<|im_start|>", "<|im_end|>", "system", "developer", "user", "assistant", "tool", "function"]

    /// The id of one piece of `PromptTokenizer.pieces`.
    public static func id(of piece: String) -> Int {
        var scalars = Array(piece.unicodeScalars)
        var prefix = 0
        if let firstToken = scalars.firstIndex(where: { !$0.properties.isWhitespace }), firstToken > 0 {
            let whitespace = scalars[..<firstToken]
            prefix = whitespace.contains("\n") ? 2 : whitespace.last == "\t" ? 3 : 1
            scalars.removeFirst(firstToken)
        }
        let body: Int
        if scalars.count == 1 && !PromptTokenizer.isRunScalar(scalars[0]) {
            body = scalarOffset + Int(scalars[0].value)
        } else {
            body = runOffsets[scalars.count - 1] + scalars.reduce(0) { $0 * 62 + alphabet.firstIndex(of: $1)! }
        }
        return prefix * bodyCount + body
    }

    /// The ids of `text`.
    public static func ids(of text: String) -> [Int] { PromptTokenizer.pieces(text).map(id(of:)) }

    /// The id of a chat-template token (`<|im_start|>`, a role, …).
    public static func special(_ name: String) -> Int { specialOffset + specials.firstIndex(of: name)! }

    /// The text of `id`, nil when no piece has that id.
    public static func text(of id: Int) -> String? {
        guard id >= 0 else { return nil }
        if id >= specialOffset {
            let index = id - specialOffset
            return index < specials.count ? specials[index] : nil
        }
        let prefix = prefixes[id / bodyCount]
        let body = id % bodyCount
        if body >= scalarOffset {
            guard let scalar = Unicode.Scalar(UInt32(body - scalarOffset)) else { return nil }
            return prefix + String(Character(scalar))
        }
        let length = runOffsets.lastIndex { $0 <= body }! + 1
        var value = body - runOffsets[length - 1]
        var scalars: [Unicode.Scalar] = []
        for _ in 0..<length {
            scalars.append(alphabet[value % 62])
            value /= 62
        }
        return prefix + String(String.UnicodeScalarView(scalars.reversed()))
    }

    /// The ids of a chat prompt, `PromptTokenizer.count(messages:)` of them; the last 3 prime the assistant's turn.
    public static func ids(messages: [(role: String, content: String, name: String?)], addGenerationPrompt: Bool) -> [Int] {
        var ids: [Int] = []
        for message in messages {
            ids += [special("<|im_start|>"), special(message.role)] + (message.name.map(ids(of:)) ?? [])
            ids += Self.ids(of: "\n" + message.content) + [special("<|im_end|>"), id(of: "\n")]
        }
        if addGenerationPrompt { ids += [special("<|im_start|>"), special("assistant"), id(of: "\n")] }
        return ids
    }
}
