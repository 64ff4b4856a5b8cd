import Foundation
import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("Bot definitions: one entry point for every bot type, strict JSON with positions")
struct BotDefinitionTests {
    @Test("bot_type chooses the parser; no bot_type means a strategy bot")
    func dispatch() throws {
        #expect(try ConfigTesting.definition(ConfigFixtures.strategyExample).botType == .strategy)
        #expect(try ConfigTesting.definition(ConfigFixtures.portfolioExample).botType == .portfolio)
        let explicit = ConfigTesting.strategy.setting("bot_type", #""strategy""#)
        guard case .strategy(let bot) = try ConfigTesting.definition(explicit.text) else {
            Issue.record("not a strategy bot")
            return
        }
        #expect(bot == (try BotConfiguration.parse(Data(explicit.text.utf8), source: "bot.json")))
        #expect(try ConfigTesting.definition(ConfigFixtures.portfolioExample).broker.type == .uphold)
    }

    @Test("an unknown bot_type lists the allowed types with a did-you-mean")
    func unknownBotType() {
        #expect(
            ConfigTesting.problems(ConfigTesting.portfolio.setting("bot_type", #""portfolo""#)) == [
                "$.bot_type: 'portfolo' is not allowed (did you mean 'portfolio'?); expected one of strategy, portfolio"
            ])
        #expect(
            ConfigTesting.problems(ConfigTesting.strategy.setting("bot_type", "3")) == ["$.bot_type: 3 is not a string"]
        )
    }

    @Test(
        "JSON syntax errors give the line and column",
        arguments: [
            ("{\"a\": 1,}", "line 1, column 9: trailing comma before '}' (JSON allows none)"),
            (
                "{\n  \"broker\": {\n    \"type\": binance\n  }\n}",
                "line 3, column 13: unexpected 'b' (expected a value)"
            ),
            ("", "line 1, column 1: the file is empty (expected a JSON object)"),
            ("{\"a\": [1, 2,]}", "line 1, column 13: trailing comma before ']' (JSON allows none)"),
            (
                "{\"a\": \"x\ny\"}",
                "line 1, column 9: a control character inside a string must be escaped (a line break needs \\n)"
            ),
            ("{\"a\": 07}", "line 1, column 7: numbers cannot start with 0 (write 7, not 07)"),
            ("{\"a\": 1} {", "line 1, column 10: unexpected '{' after the end of the JSON value"),
            (
                "{'a': 1}",
                "line 1, column 2: unexpected single quote (JSON needs double quotes) where a key in double quotes belongs"
            ),
            ("{\"a\" 1}", "line 1, column 6: unexpected '1' (expected ':')"),
            ("{\"a\": \"unterminated", "line 1, column 7: the string starting here is never closed"),
            ("{\"é\": tru}", "line 1, column 7: unexpected 't' (expected a value; strings need double quotes)"),
            (
                "{\"a\": \"\\x\"}",
                "line 1, column 8: invalid escape sequence (a backslash may be followed by \" \\ / b f n r t or u)"
            ),
            ("{\"a\": \"\\uD800\"}", "line 1, column 14: a high surrogate \\u escape must be followed by a low one"),
            ("{\"a\": 1.}", "line 1, column 9: a '.' in a number must be followed by digits"),
            ("{\"a\": \"\\u+123\"}", "line 1, column 10: \\u must be followed by four hexadecimal digits"),
        ])
    func syntaxErrors(text: String, message: String) {
        #expect(ConfigTesting.problems(text) == ["$: not valid JSON: \(message)"])
    }

    @Test("escapes, a byte-order mark and non-ASCII text are read")
    func validJSONDetails() throws {
        let text =
            "\u{FEFF}"
            + ConfigFixtures.strategyExample.replacingOccurrences(
                of: "\"description\": \"RSI + Bollinger + volume entries, RSI + Bollinger exits on BTC/USDT 1h\"",
                with: #""description": "Caf\u00e9 \"bot\" \ud83d\ude80 é\/x""#)
        guard case .strategy(let bot) = try ConfigTesting.definition(text) else { return }
        #expect(bot.description == "Café \"bot\" 🚀 é/x")
    }

    @Test("a key written twice is reported with both lines instead of one value silently winning")
    func duplicateKeys() {
        let text = ConfigFixtures.strategyExample.replacingOccurrences(
            of: "\"commission\": 0.001", with: "\"commission\": 0.001,\n        \"commission\": 0.002")
        #expect(
            ConfigTesting.problems(text) == [
                "$.broker.commission: duplicate key at line 9, column 9 (first written at line 8); JSON keeps only one of them, so write it once"
            ])
    }

    @Test("very deep nesting is refused with a message, not a stack overflow")
    func deepNesting() {
        let deep = "{\"a\": " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(
            ConfigTesting.problems(deep) == ["$: not valid JSON: line 1, column 262: nesting deeper than 256 levels"])
    }

    @Test("thousands of random corruptions of a valid file never crash the parser and always explain themselves")
    func fuzz() {
        var random = SplitMix64(seed: 0x5EED_0002)
        let original = Array(ConfigFixtures.strategyExample.utf8) + Array(ConfigFixtures.portfolioExample.utf8)
        let alphabet = Array("{}[]:,\"\\0123456789.eE-+ tfnrul\n\u{7F}é".utf8)
        for round in 0..<3_000 {
            var bytes = Array(original[(round % 2 == 0 ? 0 : original.count / 2)...].prefix(original.count / 2))
            for _ in 0...Int(random.next() % 4) {
                guard !bytes.isEmpty else { break }
                let at = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 3 {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: at)
                default: bytes[at] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                }
            }
            do {
                _ = try BotDefinition.parse(Data(bytes), source: "fuzz.json")
            } catch {
                #expect(!error.issues.isEmpty)
                #expect(error.issues.allSatisfy { $0.path.hasPrefix("$") && !$0.message.isEmpty })
            }
        }
    }

}
