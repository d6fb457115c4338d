import Foundation
@testable import Serve
import Testing

/// Token pieces and ids, schema instances, log-probabilities and choice plans: the parts of the new request fields
/// that fixtures cannot pin down exactly.
@Suite struct StructuredOutputTests {
    static let texts = ["Hello, world!", "你好世界", "  leading and trailing  ", "internationalization\n\ttabs", "naïve café", "a1b2c3d4e5", "", "{\"k\": [1, 2]}"]

    static let vocabSize = 128_256

    @Test(arguments: texts) func piecesAreTheCountedTokensAndIdsStayInTheVocabulary(text: String) {
        let pieces = PromptTokenizer.pieces(text)
        #expect(pieces.count == PromptTokenizer.count(text))
        #expect(pieces.joined() == String(text.reversed().drop { $0.isWhitespace }.reversed()))
        let ids = TokenIDs.ids(of: text, vocabSize: Self.vocabSize)
        #expect(ids.count == pieces.count)
        #expect(ids.allSatisfy { (0..<Self.vocabSize - TokenIDs.specials.count).contains($0) })
        #expect(ids == TokenIDs.ids(of: text, vocabSize: Self.vocabSize))
        // Detokenized text has as many tokens as ids.
        let text = ids.map { TokenIDs.text(of: $0, vocabSize: Self.vocabSize)! }.joined()
        #expect(PromptTokenizer.count(text) == ids.count)
    }

    @Test func nonLatinScriptsCountATokenPerCharacter() {
        #expect(PromptTokenizer.count("你好世界") == 4)
        #expect(PromptTokenizer.count("Привет") == 6)
        #expect(PromptTokenizer.count("hello") == 2)
    }

    @Test func chatTemplateTokensAreAsManyAsAChatPromptCounts() {
        let messages: [(role: String, content: String, name: String?)] = [("system", "Be brief.", nil), ("user", "Hi 你好", "ann")]
        let tokens = TokenIDs.tokens(messages: messages, addGenerationPrompt: true, vocabSize: Self.vocabSize)
        #expect(tokens.count == PromptTokenizer.count(messages: messages))
        #expect(tokens.first?.id == Self.vocabSize - TokenIDs.specials.count)
        #expect(TokenIDs.tokens(messages: messages, addGenerationPrompt: false, vocabSize: Self.vocabSize).count == PromptTokenizer.count(messages: messages) - 3)
    }

    @Test func idsOutsideTheVocabularyAreRefused() {
        #expect(TokenIDs.text(of: -1, vocabSize: Self.vocabSize) == nil)
        #expect(TokenIDs.text(of: Self.vocabSize, vocabSize: Self.vocabSize) == nil)
        #expect(TokenIDs.text(of: Self.vocabSize - 1, vocabSize: Self.vocabSize) != nil)
    }

    static var schema: [String: Any] { [
        "type": "object", "required": ["name", "age", "tags", "kind", "when"],
        "properties": [
            "name": ["type": "string"], "age": ["type": "integer", "minimum": 18, "maximum": 99],
            "tags": ["type": "array", "items": ["type": "string", "maxLength": 3], "minItems": 2],
            "kind": ["enum": ["a", "b"]], "when": ["type": "string", "format": "date"],
            "note": ["anyOf": [["type": "null"], ["$ref": "#/$defs/Note"]]],
        ],
        "$defs": ["Note": ["type": "object", "properties": ["text": ["type": "string"]], "required": ["text"]]],
    ] }

    @Test(arguments: [0, 7, 40]) func anInstanceIsValidJSONAndPaddingGivesExactlyTheTokensAsked(padding: Int) throws {
        let instance = try SchemaInstance(schema: Self.schema, param: "schema")
        #expect(instance.hasSlot)
        let base = PromptTokenizer.count(instance.text(paddingTokens: 0))
        let text = instance.text(paddingTokens: padding)
        #expect(PromptTokenizer.count(text) == base + padding)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect((object["age"] as? Int).map { (18...99).contains($0) } == true)
        #expect((object["tags"] as? [String])?.count == 2)
        #expect((object["tags"] as? [String])?.allSatisfy { $0.count <= 3 } == true)
        #expect(object["kind"] as? String == "a")
        #expect(object["when"] as? String == "2025-01-01")
        #expect(((object["note"] as? [String: Any])?["text"]) is String)
    }

    @Test func aKeywordTheGeneratorCannotSatisfyIsA400NamingIt() {
        #expect(throws: OpenAIError.self) { try SchemaInstance(schema: ["type": "string", "pattern": "^x$"], param: "s") }
        do {
            _ = try SchemaInstance(schema: ["type": "object", "properties": ["id": ["type": "string", "pattern": "x"]], "required": ["id"]], param: "s")
        } catch {
            #expect(error.param == "s.properties.id")
            #expect(error.message.contains("pattern"))
        }
    }

    @Test func logprobsAreDeterministicSortedAndSumToAtMostOne() {
        let logprobs = SimulatedLogprobs(seed: 42, top: 20)
        let entry = logprobs.entry(choice: 0, position: 3, token: " GPU")
        #expect(entry.top.count == 20)
        #expect(zip(entry.top, entry.top.dropFirst()).allSatisfy { $0.logprob >= $1.logprob })
        #expect(entry.top.reduce(0) { $0 + exp($1.logprob) } <= 1 + 1e-9)
        #expect(Set(entry.top.map(\.token)).count == 20)
        #expect(logprobs.entry(choice: 0, position: 3, token: " GPU").logprob == entry.logprob)
        #expect(logprobs.entry(choice: 1, position: 3, token: " GPU").logprob != entry.logprob)
    }

    @Test func noStopEndsAChoiceBeforeMinTokens() {
        // " GPU" is token 3; with min_tokens 10 the first stop that counts is the one a period (17 tokens) later.
        var plan = ChoicePlan(input: 5, output: 100, finish: "length")
        plan.applyStops(["GPU"], minTokens: 10, includeStop: false)
        #expect(plan.output == 20)
        #expect(plan.finish == "stop")
        #expect(plan.text == FillerText.text(tokens: 19) + " ")
        var kept = ChoicePlan(input: 5, output: 100, finish: "length")
        kept.applyStops(["GPU"], minTokens: 0, includeStop: true)
        #expect(kept.text == " The sim GPU")
    }

    @Test func aDocumentTooLongForMaxTokensIsCutWithFinishLength() throws {
        let instance = try SchemaInstance(schema: Self.schema, param: "schema")
        var plan = ChoicePlan(input: 5, output: 4, finish: "length")
        plan.shape(as: instance, room: 1000, lengthIsFixed: true, done: "stop")
        #expect(plan.output == 4)
        #expect(plan.finish == "length")
        var drawn = ChoicePlan(input: 5, output: 4, finish: "stop")
        drawn.shape(as: instance, room: 1000, lengthIsFixed: false, done: "tool_calls")
        #expect(drawn.finish == "tool_calls")
        #expect(try JSONSerialization.jsonObject(with: Data(drawn.text.utf8)) is [String: Any])
    }
}
