import Foundation
import PetrelCore
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("Secrets in config files: ${ENV_VAR} references only, values never shown")
struct SecretTests {
    let seed = ConfigTesting.strategy
    /// A value that must never appear in any message.
    static let sentinel = "sk-LIVE-9f8e7d6c5b4a"

    @Test(
        "a reference is ${NAME} with NAME matching [A-Z_][A-Z0-9_]*",
        arguments: [
            ("${BINANCE_API_KEY}", "BINANCE_API_KEY"), ("${_X1}", "_X1"), ("${A}", "A"), ("${}", nil), ("${a}", nil),
            ("${1A}", nil), ("$A", nil), ("${A-B}", nil), ("{A}", nil), ("${A}x", nil), ("x${A}", nil), ("", nil),
            ("${ A}", nil),
        ] as [(String, String?)])
    func parsing(text: String, name: String?) {
        #expect(SecretReference(parsing: text)?.name == name)
        #expect(SecretReference(parsing: text)?.description == name.map { "${\($0)}" })
    }

    @Test("a reference resolves from an injected environment and names only the variable when it cannot")
    func resolving() throws {
        let reference = try SecretReference(name: "BINANCE_API_SECRET")
        #expect(try reference.resolve(in: ["BINANCE_API_SECRET": Self.sentinel]) == Self.sentinel)
        #expect(throws: SecretReferenceError.unset("BINANCE_API_SECRET")) { try reference.resolve(in: [:]) }
        #expect(throws: SecretReferenceError.empty("BINANCE_API_SECRET")) {
            try reference.resolve(in: ["BINANCE_API_SECRET": ""])
        }
        #expect(
            SecretReferenceError.unset("BINANCE_API_SECRET").description
                == "environment variable BINANCE_API_SECRET is not set (the config refers to it as ${BINANCE_API_SECRET})"
        )
        #expect(throws: SecretReferenceError.invalidName) { try SecretReference(name: Self.sentinel) }
        #expect(!SecretReferenceError.invalidName.description.contains(Self.sentinel))
    }

    @Test("a whole config resolves its secrets by path, or lists every unset variable")
    func resolvingAConfig() throws {
        let text = seed.setting("broker.type", #""okx""#).setting("data.data_source", #""okx""#)
            .setting("broker.api_key", #""${OKX_KEY}""#).setting("broker.api_secret", #""${OKX_SECRET}""#)
            .setting("broker.passphrase", #""${OKX_PASSPHRASE}""#).text
        let definition = try ConfigTesting.definition(text)
        #expect(definition.secrets.map(\.path) == ["$.broker.api_key", "$.broker.api_secret", "$.broker.passphrase"])
        let environment = ["OKX_KEY": "k", "OKX_SECRET": Self.sentinel, "OKX_PASSPHRASE": "p"]
        #expect(
            try definition.resolveSecrets(in: environment, source: "bot.json")["$.broker.api_secret"] == Self.sentinel)
        do {
            _ = try definition.resolveSecrets(in: ["OKX_SECRET": Self.sentinel], source: "bot.json")
            Issue.record("resolved without every variable")
        } catch {
            #expect(
                error.issues.map(\.description) == [
                    "$.broker.api_key: environment variable OKX_KEY is not set (the config refers to it as ${OKX_KEY})",
                    "$.broker.passphrase: environment variable OKX_PASSPHRASE is not set (the config refers to it as ${OKX_PASSPHRASE})",
                ])
            #expect(!error.description.contains(Self.sentinel))
        }
        guard case .strategy(let bot) = definition else { throw ConfigError(source: "", issues: []) }
        #expect(bot.broker.apiKey?.name == "OKX_KEY")
        #expect(bot.broker.passphrase?.name == "OKX_PASSPHRASE")
    }

    @Test(
        "keys named like secrets are recognised in any spelling; other keys are not",
        arguments: [
            ("api_key", true), ("apiKey", true), ("API-SECRET", true), ("secret", true), ("passphrase", true),
            ("password", true), ("smtp_password", true), ("token", true), ("bot_token", true), ("access_token", true),
            ("client_secret", true), ("private_key", true), ("binance_api_key", true), ("account", false),
            ("key", false), ("max_tokens", false), ("symbol", false), ("username", false), ("secrets_path", false),
        ])
    func secretKeyNames(key: String, isSecret: Bool) {
        let text = seed.setting("broker.\(key)", "\"\(Self.sentinel)\"").text
        var problems: [String] = []
        do { _ = try ConfigTesting.definition(text) } catch { problems = error.issues.map(\.description) }
        let reported = problems.contains { $0.hasPrefix("$.broker.\(key): holds a literal secret (value not shown)") }
        #expect(reported == isSecret, "\(problems)")
    }

    @Test("a literal secret anywhere in the tree is refused with its path and advice, never its value")
    func literalSecretsAnywhere() {
        let text = seed.setting("broker.api_key", "\"\(Self.sentinel)\"")
            .setting("broker.api_secret", "\"${not a name \(Self.sentinel)}\"")
            .setting("broker.passphrase", "12345678")
            .setting("notifications.telegram.bot_token", "\"\(Self.sentinel)\"")
            .setting("notifications.email.password", #"{"value": "\#(Self.sentinel)"}"#)
            .setting("strategy.entry_logic.params.token", "\"\(Self.sentinel)\"")
            .setting("data.extra", #"{"deep": [{"secret": "\#(Self.sentinel)"}]}"#)
            .setting("trading.password", "true")
            .setting("broker.base_url", "\"https://user:\(Self.sentinel)@api.binance.com\"").text
        let problems = ConfigTesting.problems(text)
        let byPath = Dictionary(grouping: problems) { String($0.prefix { $0 != ":" }) }
        #expect(
            byPath["$.broker.api_key"] == [
                "$.broker.api_key: holds a literal secret (value not shown); secrets never live in the file: write a ${ENV_VAR} reference such as \"${BINANCE_PAPER_API_KEY}\" or use a stored exchange account (broker.account)"
            ])
        #expect(
            byPath["$.broker.api_secret"]?.first
                == "$.broker.api_secret: is not a valid ${ENV_VAR} reference (NAME must match [A-Z_][A-Z0-9_]*; value not shown)"
        )
        #expect(byPath["$.broker.passphrase"]?.first?.contains("is a number, not a ${ENV_VAR} reference") == true)
        #expect(
            byPath["$.notifications.telegram.bot_token"] == [
                "$.notifications.telegram.bot_token: holds a literal secret (value not shown); secrets never live in the file: write a ${ENV_VAR} reference such as \"${TELEGRAM_BOT_TOKEN}\""
            ])
        #expect(
            byPath["$.notifications.email.password"]?.first?.contains("is an object, not a ${ENV_VAR} reference")
                == true)
        #expect(byPath["$.strategy.entry_logic.params.token"]?.first?.contains("holds a literal secret") == true)
        #expect(byPath["$.data.extra.deep[0].secret"]?.first?.contains("holds a literal secret") == true)
        #expect(byPath["$.trading.password"]?.first?.contains("is a boolean, not a ${ENV_VAR} reference") == true)
        #expect(byPath["$.broker.base_url"]?.first?.contains("holds a password in the URL (value not shown)") == true)
        // The value is in no message: not in the secret checks, not in the unknown-key or type checks
        // of the same keys, not in the whole error text.
        for problem in problems { #expect(!problem.contains(Self.sentinel), "\(problem)") }
        #expect(!problems.contains { $0.contains("12345678") })
        do {
            _ = try ConfigTesting.definition(text)
        } catch {
            #expect(!error.description.contains(Self.sentinel))
            #expect(!"\(error)".contains(Self.sentinel))
        }
        do {
            _ = try BotConfiguration.parse(Data(text.utf8), source: "bot.json")
        } catch {
            #expect(!error.description.contains(Self.sentinel))
        }
    }

    @Test("a valid config keeps only references: its description holds names, never values")
    func parsedConfigHoldsNoValues() throws {
        let text = seed.setting("broker.api_key", #""${BINANCE_KEY}""#).setting(
            "broker.api_secret", #""${BINANCE_SECRET}""#
        )
        .setting("notifications.telegram.bot_token", #""${TELEGRAM_BOT_TOKEN}""#)
        let definition = try ConfigTesting.definition(text.text)
        #expect(
            definition.secrets == [
                ConfigSecret(path: "$.broker.api_key", reference: try SecretReference(name: "BINANCE_KEY")),
                ConfigSecret(path: "$.broker.api_secret", reference: try SecretReference(name: "BINANCE_SECRET")),
                ConfigSecret(
                    path: "$.notifications.telegram.bot_token",
                    reference: try SecretReference(name: "TELEGRAM_BOT_TOKEN")),
            ])
        #expect(String(describing: definition).contains("BINANCE_KEY"))
    }

    @Test(
        "live brokers need a stored account or a complete set of keys, not both, and no keys they do not use",
        arguments: [
            (
                "binance", [String: String](),
                [
                    "$.broker: a live 'binance' broker needs credentials: \"account\" (a stored exchange account) or api_key, api_secret as ${ENV_VAR} references"
                ]
            ),
            ("binance", ["account": "main"], []),
            ("binance", ["api_key": "${K}", "api_secret": "${S}"], []),
            (
                "binance", ["api_key": "${K}"],
                [
                    "$.broker.api_secret: is missing: the 'binance' broker needs api_key, api_secret together (or an account)"
                ]
            ),
            (
                "binance", ["account": "main", "api_key": "${K}", "api_secret": "${S}"],
                [
                    "$.broker.api_key: conflicts with $.broker.account: use a stored exchange account or ${ENV_VAR} keys, not both"
                ]
            ),
            (
                "binance", ["account": "main", "passphrase": "${P}"],
                ["$.broker.passphrase: is not used by the 'binance' broker (only okx uses it)"]
            ),
            (
                "okx", ["api_key": "${K}", "api_secret": "${S}"],
                [
                    "$.broker.passphrase: is missing: the 'okx' broker needs api_key, api_secret, passphrase together (or an account)"
                ]
            ),
            ("okx", ["api_key": "${K}", "api_secret": "${S}", "passphrase": "${P}"], []),
            ("ibkr", [:], []),
            ("paper", ["token": "${T}"], ["$.broker.token: is not used by the 'paper' broker (only uphold uses it)"]),
            ("binance_paper", ["api_key": "${K}", "api_secret": "${S}"], []),
        ] as [(String, [String: String], [String])])
    func credentials(type: String, settings: [String: String], expected: [String]) throws {
        var edit = seed.setting("broker.type", "\"\(type)\"")
        if ["okx", "ibkr"].contains(type) { edit = edit.setting("data.data_source", "\"\(type)\"") }
        for (key, value) in settings { edit = edit.setting("broker.\(key)", "\"\(value)\"") }
        if expected.isEmpty {
            #expect(try ConfigTesting.definition(edit.text).broker.type.rawValue == type)
        } else {
            #expect(ConfigTesting.problems(edit) == expected)
        }
    }
}
