import PetrelCore

extension ConfigReader {
    /// Key names that always hold a secret (compared without case, `_` or `-`: `apiKey` counts too).
    static let secretKeyNames: Set<String> = [
        "apikey", "apisecret", "secret", "passphrase", "password", "token", "bottoken",
    ]
    /// Endings that mark a key as a secret: `client_secret`, `access_token`, `smtp_password`, `private_key`.
    static let secretKeyEndings = ["secret", "token", "password", "passphrase", "apikey", "privatekey"]

    /// Whether a key is named like a secret, so its value must be a `${ENV_VAR}` reference.
    static func isSecretKey(_ key: String) -> Bool {
        let folded = String(key.lowercased().unicodeScalars.filter { $0 != "_" && $0 != "-" })
        return secretKeyNames.contains(folded) || secretKeyEndings.contains { folded.hasSuffix($0) }
    }

    /// Checks every key named like a secret anywhere under `value`: each must be a `${ENV_VAR}`
    /// reference (collected in ``secrets``) or null. Messages never contain the value.
    mutating func scanSecrets(_ value: JSONValue, _ path: String, parentKey: String? = nil) {
        switch value {
        case .object(let members):
            // `{"type": "binance", "api_key": …}` suggests BINANCE_API_KEY rather than BROKER_API_KEY.
            var prefix = parentKey
            if case .string(let type)? = members["type"], !type.isEmpty, type.count <= 32,
                type.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || $0 == "_") })
            {
                prefix = type
            }
            for key in members.keys.sorted() {
                let child = members[key] ?? .null
                let childPath = "\(path).\(key)"
                if Self.isSecretKey(key) {
                    checkSecret(child, childPath, key: key, parentKey: prefix)
                } else {
                    scanSecrets(child, childPath, parentKey: key)
                }
            }
        case .array(let items):
            for (index, item) in items.enumerated() { scanSecrets(item, "\(path)[\(index)]", parentKey: parentKey) }
        default:
            return
        }
    }

    private mutating func checkSecret(_ value: JSONValue, _ path: String, key: String, parentKey: String?) {
        let example = Self.exampleVariable(key: key, parentKey: parentKey)
        let account = path.hasPrefix("$.broker.") ? " or use a stored exchange account (broker.account)" : ""
        let advice =
            "secrets never live in the file: write a ${ENV_VAR} reference such as \"${\(example)}\"\(account)"
        switch value {
        case .null:
            return
        case .string(let text):
            if let reference = SecretReference(parsing: text) {
                secrets.append(ConfigSecret(path: path, reference: reference))
            } else if text.isEmpty {
                fail(path, "is empty; \(advice), or leave the key out")
            } else if text.hasPrefix("${") {
                fail(path, "is not a valid ${ENV_VAR} reference (NAME must match [A-Z_][A-Z0-9_]*; value not shown)")
            } else {
                fail(path, "holds a literal secret (value not shown); \(advice)")
            }
        case .bool: fail(path, "is a boolean, not a ${ENV_VAR} reference (value not shown); \(advice)")
        case .number: fail(path, "is a number, not a ${ENV_VAR} reference (value not shown); \(advice)")
        case .array: fail(path, "is an array, not a ${ENV_VAR} reference; \(advice)")
        case .object: fail(path, "is an object, not a ${ENV_VAR} reference; \(advice)")
        }
    }

    /// `TELEGRAM_BOT_TOKEN` for `$.notifications.telegram.bot_token`.
    static func exampleVariable(key: String, parentKey: String?) -> String {
        let words = [parentKey, key].compactMap { $0 }.joined(separator: "_").uppercased()
        let name = String(
            words.unicodeScalars.map { ("A"..."Z").contains($0) || ("0"..."9").contains($0) ? Character($0) : "_" })
        return SecretReference.isValidName(name) ? name : "SECRET_NAME"
    }

    /// The reference at `key` if it is a valid one; problems were already reported by ``scanSecrets(_:_:parentKey:)``.
    func secret(_ object: [String: JSONValue], _ key: String) -> SecretReference? {
        guard case .string(let text)? = object[key] else { return nil }
        return SecretReference(parsing: text)
    }
}
