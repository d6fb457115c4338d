import Foundation

/// A deterministic approximation of BPE token counts (documented in README): a run of ASCII letters or digits of
/// length L is ⌈L / 4⌉ tokens, every other visible character (punctuation, CJK and other non-Latin scripts,
/// accented letters) is one token, whitespace is free. A chat message adds 4 tokens (role and separators) and a
/// chat prompt 3 more (the assistant's priming), as OpenAI's cookbook counts them.
public enum PromptTokenizer {
    /// Whether `scalar` extends a run of letters or digits (ASCII only: other scripts are a token per character).
    @inline(__always) static func isRunScalar(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A)
    }

    /// Tokens of `text`.
    public static func count(_ text: String) -> Int {
        var tokens = 0
        var run = 0
        for scalar in text.unicodeScalars {
            if isRunScalar(scalar) {
                run += 1
                continue
            }
            tokens += (run + 3) / 4
            run = 0
            if !scalar.properties.isWhitespace { tokens += 1 }
        }
        return tokens + (run + 3) / 4
    }

    /// The tokens of `text` as pieces: each is the whitespace before it plus its characters (up to 4 of a run, or
    /// one other character); whitespace after the last token belongs to none. `pieces(t).count == count(t)`.
    public static func pieces(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = String.UnicodeScalarView()
        var run = 0
        for scalar in text.unicodeScalars {
            if isRunScalar(scalar) {
                if run == 4 {
                    pieces.append(String(current))
                    current = String.UnicodeScalarView()
                    run = 0
                }
                current.append(scalar)
                run += 1
            } else if scalar.properties.isWhitespace {
                if run > 0 {
                    pieces.append(String(current))
                    current = String.UnicodeScalarView()
                    run = 0
                }
                current.append(scalar)
            } else {
                if run > 0 {
                    pieces.append(String(current))
                    current = String.UnicodeScalarView()
                    run = 0
                }
                current.append(scalar)
                pieces.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if run > 0 { pieces.append(String(current)) }
        return pieces
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
            if isRunScalar(scalar) {
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

    /// Where the first of `stops` appears in the filler, ending in token `minTokens` or later (vLLM checks no stop
    /// before `min_tokens`): the token that completes it (generation ends there when the output reaches that
    /// token) and the characters of text before it (what the client gets). Nil when none appears at all.
    public static func firstStop(of stops: [String], minTokens: Int = 0) -> (tokens: Int, characters: Int)? {
        let stops = stops.filter { !$0.isEmpty }
        guard let longest = stops.map(\.count).max() else { return nil }
        // The text repeats every `words.count` tokens, so a stop that is not in the first two periods plus its
        // own length is nowhere; a later occurrence is one of those shifted by whole periods.
        let searched = 2 * words.count + longest
        var text = ""
        var tokenEnds: [Int] = []
        for index in stride(from: 1, through: searched, by: 1) {
            text += token(index)
            tokenEnds.append(text.count)
        }
        let periodCharacters = tokenEnds[words.count - 1]
        var best: (tokens: Int, characters: Int)?
        for stop in stops {
            var searchStart = text.startIndex
            while let range = text.range(of: stop, range: searchStart..<text.endIndex) {
                searchStart = text.index(after: range.lowerBound)
                let start = text.distance(from: text.startIndex, to: range.lowerBound)
                var tokens = tokenEnds.firstIndex { $0 >= start + stop.count }! + 1
                var characters = start
                if tokens < minTokens {
                    let periods = (minTokens - tokens + words.count - 1) / words.count
                    tokens += periods * words.count
                    characters += periods * periodCharacters
                }
                if best.map({ (tokens, characters) < ($0.tokens, $0.characters) }) ?? true { best = (tokens, characters) }
            }
        }
        return best
    }
}
