import Foundation

/// A deterministic approximation of BPE token counts (documented in README): a run of letters or digits of length L
/// is ⌈L / 4⌉ tokens, every other visible character is one token, whitespace is free. A chat message adds 4 tokens
/// (role and separators) and a chat prompt 3 more (the assistant's priming), as OpenAI's cookbook counts them.
public enum PromptTokenizer {
    /// Tokens of `text`.
    public static func count(_ text: String) -> Int {
        var tokens = 0
        var run = 0
        for scalar in text.unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                run += 1
                continue
            }
            tokens += (run + 3) / 4
            run = 0
            if !scalar.properties.isWhitespace { tokens += 1 }
        }
        return tokens + (run + 3) / 4
    }

    /// Tokens of a chat prompt: 3 + Σ (4 + tokens of each message's content and name).
    public static func count(messages: [(role: String, content: String, name: String?)]) -> Int {
        3 + messages.reduce(0) { $0 + 4 + count($1.content) + ($1.name.map(count) ?? 0) }
    }

    /// One id per token of `text` (`count(text)` of them): the same text always gives the same ids, so
    /// prompts that share a beginning share their first ids and hit the prefix cache.
    public static func ids(_ text: String) -> [UInt32] {
        var ids: [UInt32] = []
        var piece: UInt64 = 0xCBF2_9CE4_8422_2325
        var run = 0
        func emit(_ hash: UInt64) { ids.append(UInt32(truncatingIfNeeded: hash ^ (hash >> 32))) }
        for scalar in text.unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                piece = (piece ^ UInt64(scalar.value)) &* 0x0000_0100_0000_01B3
                run += 1
                if run == 4 { emit(piece); piece = 0xCBF2_9CE4_8422_2325; run = 0 }
                continue
            }
            if run > 0 { emit(piece); piece = 0xCBF2_9CE4_8422_2325; run = 0 }
            if !scalar.properties.isWhitespace { emit((0x1_0000_0000 | UInt64(scalar.value)) &* 0x9E37_79B9_7F4A_7C15) }
        }
        if run > 0 { emit(piece) }
        return ids
    }

    /// The ids of a chat prompt (`count(messages:)` of them): each message as 4 ids of its role, then its
    /// content and name; the 3 priming ids last, so a conversation that grows keeps its earlier ids.
    public static func ids(messages: [(role: String, content: String, name: String?)]) -> [UInt32] {
        var ids: [UInt32] = []
        for message in messages {
            let role = self.ids("<|\(message.role)|>")
            ids += (0..<4).map { role[$0 % role.count] &+ UInt32($0) }
            ids += self.ids(message.content) + (message.name.map { self.ids($0) } ?? [])
        }
        return ids + [1, 2, 3]
    }
}

/// The text of simulated output: token k is always the same short word, and each word is one token
/// under `PromptTokenizer`, so the text of N tokens re-counts to N.
public enum FillerText {
    static let words = [" The", " sim", " GPU", " runs", " one", " step", " at", " a", " time", ",", " and", " each", " step", " adds", " a", " word", "."]

    /// The text of output token `index` (1-based).
    public static func token(_ index: Int) -> String { words[(index - 1) % words.count] }

    /// The text of output tokens 1...count.
    public static func text(tokens count: Int) -> String {
        var text = ""
        text.reserveCapacity(count * 5)
        for index in stride(from: 1, through: count, by: 1) { text += token(index) }
        return text
    }

    /// Where the first of `stops` appears in the filler: the token that completes it (generation ends there when
    /// the output reaches that token) and the characters of text before it (what the client gets). Nil when none
    /// appears at all.
    public static func firstStop(of stops: [String]) -> (tokens: Int, characters: Int)? {
        let stops = stops.filter { !$0.isEmpty }
        guard let longest = stops.map(\.count).max() else { return nil }
        // The text repeats every `words.count` tokens, so a stop that is not in the first two periods plus its
        // own length is nowhere.
        let searched = 2 * words.count + longest
        // One search per stop over the whole text; the stop whose last character comes in the earliest token wins.
        var text = ""
        var tokenEnds: [Int] = []
        for index in stride(from: 1, through: searched, by: 1) {
            text += token(index)
            tokenEnds.append(text.count)
        }
        var best: (tokens: Int, characters: Int)?
        for stop in stops {
            guard let range = text.range(of: stop) else { continue }
            let start = text.distance(from: text.startIndex, to: range.lowerBound)
            let end = start + stop.count
            let tokens = tokenEnds.firstIndex { $0 >= end }! + 1
            if best.map({ (tokens, start) < ($0.tokens, $0.characters) }) ?? true { best = (tokens, start) }
        }
        return best
    }
}
