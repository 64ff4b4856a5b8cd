import Foundation

/// One row of `server_settings`: a named group of the server's settings (`notifications`), as JSON, with
/// its secrets sealed by the server (AES-GCM under the master key, which is never in the database).
public struct ServerSettingRecord: Sendable, Hashable {
    /// The group's name, e.g. `notifications`.
    public var key: String
    /// The settings as JSON, without any secret in the clear.
    public var value: String
    /// Sealed secrets by the name of the setting they belong to (`telegram.bot_token`).
    public var sealed: [String: Data]
    /// Unix ms.
    public var updatedAt: Int64

    public init(key: String, value: String, sealed: [String: Data] = [:], updatedAt: Int64) {
        self.key = key
        self.value = value
        self.sealed = sealed
        self.updatedAt = updatedAt
    }
}
