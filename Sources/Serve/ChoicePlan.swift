import Foundation

/// One choice as planned: its prompt and output tokens, why it ends, its text (filler, or the pieces of a JSON
/// document or of tool-call arguments) and, when a stop sequence ends it, the characters the client gets.
struct ChoicePlan: Sendable {
    /// A simulated call of one of the request's tools.
    struct ToolCall: Sendable {
        var id: String
        var name: String
    }

    /// Which of the request's prompts it answers.
    var prompt = 0
    var input: Int
    var output: Int
    var finish: String
    var keptCharacters: Int?
    /// The output tokens' text when it is structured; nil for filler.
    var pieces: [String]?
    var toolCall: ToolCall?

    init(input: Int, output: Int, finish: String, keptCharacters: Int? = nil) {
        self.input = input
        self.output = output
        self.finish = finish
        self.keptCharacters = keptCharacters
    }

    /// The text of output token `index` (1-based), before any stop cuts it.
    func piece(_ index: Int) -> String { pieces?[index - 1] ?? FillerText.token(index) }

    /// The output text the client gets.
    var text: String {
        let full = pieces?.joined() ?? FillerText.text(tokens: output)
        return keptCharacters.map { String(full.prefix($0)) } ?? full
    }

    /// The output tokens' texts as the client gets them: cut where a stop sequence cuts the text.
    var visiblePieces: [String] {
        var result: [String] = []
        var room = keptCharacters ?? Int.max
        for index in stride(from: 1, through: output, by: 1) where room > 0 {
            var piece = self.piece(index)
            if piece.count > room { piece = String(piece.prefix(room)) }
            room -= piece.count
            result.append(piece)
        }
        return result
    }

    /// Makes the output `document`: padded to exactly the planned tokens when it has a free-form string, else as
    /// long as the document; cut when `max_tokens` or the context (`room`) ends it first. `done` is the finish
    /// reason of a complete document (`stop`, or `tool_calls`).
    mutating func shape(as document: SchemaInstance, room: Int, lengthIsFixed: Bool, done: String) {
        let base = PromptTokenizer.pieces(document.text(paddingTokens: 0))
        if output >= base.count {
            pieces = document.hasSlot ? PromptTokenizer.pieces(document.text(paddingTokens: output - base.count)) : base
            finish = done
        } else if lengthIsFixed || base.count > room {
            pieces = Array(base.prefix(lengthIsFixed ? output : room))
            finish = "length"
        } else {
            // A drawn length too short for the document: guided decoding ends only when the document is complete.
            pieces = base
            finish = done
        }
        output = pieces!.count
    }

    /// Where the first of `stops` ends the structured text, in token `minTokens` or later: the token completing it
    /// and the characters before it (or through it, with `includeStop`).
    mutating func applyStops(_ stops: [String], minTokens: Int, includeStop: Bool) {
        let stops = stops.filter { !$0.isEmpty }
        guard !stops.isEmpty else { return }
        let best: (tokens: Int, characters: Int, length: Int)?
        if let pieces {
            let text = pieces.joined()
            var ends: [Int] = []
            var total = 0
            for piece in pieces {
                total += piece.count
                ends.append(total)
            }
            var found: (tokens: Int, characters: Int, length: Int)?
            for stop in stops {
                var from = text.startIndex
                while let range = text.range(of: stop, range: from..<text.endIndex) {
                    from = text.index(after: range.lowerBound)
                    let start = text.distance(from: text.startIndex, to: range.lowerBound)
                    let tokens = ends.firstIndex { $0 >= start + stop.count }! + 1
                    guard tokens >= minTokens else { continue }
                    if found.map({ (tokens, start) < ($0.tokens, $0.characters) }) ?? true { found = (tokens, start, stop.count) }
                    break
                }
            }
            best = found
        } else {
            best = FillerText.firstStop(of: stops, minTokens: minTokens).map { found in
                let stop = stops.first { stop in
                    FillerText.text(tokens: found.tokens).dropFirst(found.characters).hasPrefix(stop)
                }!
                return (found.tokens, found.characters, stop.count)
            }
        }
        guard let best, best.tokens <= output else { return }
        output = best.tokens
        finish = "stop"
        keptCharacters = best.characters + (includeStop ? best.length : 0)
        if pieces != nil { pieces = Array(pieces!.prefix(output)) }
    }
}
