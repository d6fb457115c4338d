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
}
