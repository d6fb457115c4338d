import Foundation

/// Deterministic simulated log-probabilities: the same request (same seed, choice and position) gets the same
/// numbers. The sampled token has probability in [0.35, 0.99]; the alternatives share the rest geometrically, so
/// the probabilities of a position never sum past 1.
struct SimulatedLogprobs: Sendable {
    /// Varies the numbers between requests.
    let seed: UInt64
    /// Alternatives asked per position (`top_logprobs`, or the completions' `logprobs`).
    let top: Int

    /// Most alternatives a request may ask for (vLLM's default `max_logprobs`, OpenAI's chat limit).
    static let maxTop = 20

    /// Tokens offered as alternatives (the sampled token is skipped when it is one of them).
    static let alternatives = [" the", " a", " of", " to", " and", " in", " is", " for", " that", " it", " on", " with", " as",
                               " was", " this", " by", ",", ".", " be", " are", " at", " from", " or", " an", " not"]

    struct Entry {
        var token: String
        var logprob: Double
        /// The `top` most likely tokens, most likely first (the sampled token among them when it ranks).
        var top: [(token: String, logprob: Double)]
    }

    func entry(choice: Int, position: Int, token: String) -> Entry {
        var state = seed ^ (UInt64(bitPattern: Int64(choice)) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(bitPattern: Int64(position)) &* 0xC2B2_AE3D_27D4_EB4F)
        state = Self.mix(state)
        let probability = 0.35 + 0.64 * Double(state >> 11) / Double(1 << 53)
        var candidates = [(token: token, logprob: log(probability))]
        var rest = Self.alternatives.filter { $0 != token }
        // Rotate the alternatives by the position so neighbouring tokens do not all share one list.
        let shift = Int(Self.mix(state) % UInt64(rest.count))
        rest = Array(rest[shift...] + rest[..<shift])
        for (rank, alternative) in rest.prefix(top).enumerated() {
            candidates.append((alternative, log((1 - probability) * 0.6 * pow(0.4, Double(rank)))))
        }
        candidates.sort { $0.logprob > $1.logprob }
        return Entry(token: token, logprob: candidates.first { $0.token == token }!.logprob, top: Array(candidates.prefix(top)))
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A log-probability as a JSON number, at full precision.
    static func number(_ value: Double) -> String { String(value) }

    static func bytes(_ token: String) -> String { "[" + token.utf8.map { String($0) }.joined(separator: ",") + "]" }

    /// Chat's `{"content": [...], "refusal": null}` for the tokens `pieces` starting at output position `start`.
    func chatJSON(choice: Int, start: Int, pieces: [String]) -> String {
        let items = pieces.enumerated().map { offset, piece in
            let entry = self.entry(choice: choice, position: start + offset, token: piece)
            let top = entry.top.map { "{\"token\":\(JSONText.string($0.token)),\"logprob\":\(Self.number($0.logprob)),\"bytes\":\(Self.bytes($0.token))}" }
            return "{\"token\":\(JSONText.string(piece)),\"logprob\":\(Self.number(entry.logprob)),\"bytes\":\(Self.bytes(piece)),\"top_logprobs\":[\(top.joined(separator: ","))]}"
        }
        return "{\"content\":[\(items.joined(separator: ","))],\"refusal\":null}"
    }

    /// Completions' `{"tokens", "token_logprobs", "top_logprobs", "text_offset"}` for `pieces` at output position
    /// `start`, whose text begins at character `offset`; `promptPieces` (echo) come first from character 0, the first
    /// without a logprob.
    func completionJSON(choice: Int, start: Int, pieces: [String], offset: Int, promptPieces: [String] = []) -> String {
        var tokens: [String] = [], logprobs: [String] = [], tops: [String] = [], offsets: [String] = []
        // The echoed prompt starts the text; the output starts at `offset`.
        var characters = 0
        for (index, piece) in promptPieces.enumerated() {
            tokens.append(JSONText.string(piece))
            offsets.append(String(characters))
            characters += piece.count
            if index == 0 {
                logprobs.append("null")
                tops.append("null")
            } else {
                let entry = self.entry(choice: -1 - choice, position: index, token: piece)
                logprobs.append(Self.number(entry.logprob))
                tops.append(dictionary(entry))
            }
        }
        characters = offset
        for (index, piece) in pieces.enumerated() {
            let entry = self.entry(choice: choice, position: start + index, token: piece)
            tokens.append(JSONText.string(piece))
            logprobs.append(Self.number(entry.logprob))
            tops.append(dictionary(entry))
            offsets.append(String(characters))
            characters += piece.count
        }
        return "{\"tokens\":[\(tokens.joined(separator: ","))],\"token_logprobs\":[\(logprobs.joined(separator: ","))],\"top_logprobs\":[\(tops.joined(separator: ","))],\"text_offset\":[\(offsets.joined(separator: ","))]}"
    }

    /// A completions position's `{token: logprob}`: the top ones plus the sampled token, as vLLM returns them.
    private func dictionary(_ entry: Entry) -> String {
        var items = entry.top
        if !items.contains(where: { $0.token == entry.token }) { items.append((entry.token, entry.logprob)) }
        return "{" + items.map { "\(JSONText.string($0.token)):\(Self.number($0.logprob))" }.joined(separator: ",") + "}"
    }
}
