import Foundation
import Serve
import Testing

@Suite struct PromptTokenizerTests {
    @Test(arguments: [("", 0), ("Hello", 2), ("Hello, world!", 6), ("a b c", 3), ("1234567", 2), ("  spaced   out  ", 3)])
    func countsFollowTheDocumentedRule(text: String, tokens: Int) {
        #expect(PromptTokenizer.count(text) == tokens)
    }

    @Test(arguments: [1, 2, 17, 100, 1000])
    func fillerTextOfNTokensCountsAsNTokens(count: Int) {
        #expect(PromptTokenizer.count(FillerText.text(tokens: count)) == count)
    }

    @Test func chatPromptsAddMessageOverhead() {
        #expect(PromptTokenizer.count(messages: [("user", "Hello", nil)]) == 3 + 4 + 2)
    }

    @Test(arguments: [
        (["GPU"], 3, 9),                 // " The sim " then "GPU" completes at token 3
        (["sim GPU", "never"], 3, 5),    // a stop spanning two tokens
        ([" one", "runs"], 4, 13),       // the earliest of several stops wins
        (["word."], 17, 59),             // the last words of the 17-word period
    ])
    func aStopSequenceEndsTheTextBeforeIt(stops: [String], tokens: Int, characters: Int) throws {
        let stop = try #require(FillerText.firstStop(of: stops))
        #expect(stop.tokens == tokens)
        #expect(stop.characters == characters)
        #expect(!String(FillerText.text(tokens: stop.tokens).prefix(stop.characters)).contains(stops[0]))
    }

    @Test func stopsThatNeverAppearAreNone() {
        #expect(FillerText.firstStop(of: ["not in the filler"]) == nil)
        #expect(FillerText.firstStop(of: [""]) == nil)
    }
}
