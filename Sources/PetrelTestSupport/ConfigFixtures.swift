import Foundation

/// Bot config files for tests: the repository's examples and a way to change one key at a time.
public enum ConfigFixtures {
    /// `examples/0001.json`: seed 002's configuration.
    public static var strategyExample: String { example("0001.json") }

    /// `examples/portfolio.json`: seed 000's portfolio bot.
    public static var portfolioExample: String { example("portfolio.json") }

    /// The text of a file in `examples/`.
    public static func example(_ name: String) -> String {
        let url = Fixtures.repositoryRoot.appendingPathComponent("examples").appendingPathComponent(name)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            preconditionFailure("missing example \(url.path)")
        }
        return text
    }
}

/// A JSON document edited by dotted paths (`broker.type`, `trading_pairs.0.priority`), for tests
/// that change one key of a valid config and check the one problem it causes.
public struct JSONEdit: Sendable {
    /// The document as JSON text (keys sorted).
    public private(set) var text: String

    /// - Parameter text: a JSON object.
    public init(_ text: String) {
        self.text = text
    }

    /// A copy with the value at `path` set to `json` (raw JSON text: `"\"okx\""`, `0.5`, `{}`), or
    /// removed when `json` is nil. Missing objects on the way are created.
    public func setting(_ path: String, _ json: String?) -> JSONEdit {
        var root = Self.object(text)
        let keys = path.split(separator: ".").map(String.init)
        let value = json.map { Self.fragment($0) }
        root = Self.set(root, keys[...], value) as? [String: Any] ?? root
        let data = try! JSONSerialization.data(withJSONObject: root, options: [.sortedKeys, .prettyPrinted])
        return JSONEdit(String(decoding: data, as: UTF8.self))
    }

    /// A copy without the key at `path`.
    public func removing(_ path: String) -> JSONEdit { setting(path, nil) }

    private static func object(_ text: String) -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            preconditionFailure("not a JSON object: \(text)")
        }
        return object
    }

    private static func fragment(_ json: String) -> Any {
        guard let value = try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        else { preconditionFailure("not JSON: \(json)") }
        return value
    }

    private static func set(_ container: Any?, _ keys: ArraySlice<String>, _ value: Any?) -> Any? {
        guard let key = keys.first else { return value }
        if var array = container as? [Any], let index = Int(key) {
            let child = index < array.count ? array[index] : nil
            if let new = set(child, keys.dropFirst(), value) {
                if index < array.count { array[index] = new } else { array.append(new) }
            } else if index < array.count {
                array.remove(at: index)
            }
            return array
        }
        var object = container as? [String: Any] ?? [:]
        object[key] = set(object[key], keys.dropFirst(), value)
        return object
    }
}
