import Foundation
import PetrelPersistence
import PetrelRuntime
import PetrelSQLiteTestSupport
import Testing

/// `server_settings`: a group of settings with sealed secrets survives a reopen byte for byte.
@Suite("Server settings table")
struct ServerSettingTests {
    @Test("save, replace, read back after a reopen, and delete")
    func roundTrip() async throws {
        let file = try TestDatabaseFile()
        defer { file.remove() }
        let first = try await file.open()
        #expect(try await first.serverSettings.setting("notifications") == nil)
        let sealed = Data([0, 1, 2, 250, 255])
        let record = ServerSettingRecord(
            key: "notifications", value: #"{"notifications":{"enabled":true}}"#,
            sealed: ["telegram.bot_token": sealed], updatedAt: 5)
        try await first.serverSettings.save(record)
        var changed = record
        changed.value = #"{"notifications":{"enabled":false}}"#
        changed.sealed["sms.token"] = Data([9])
        changed.updatedAt = 6
        try await first.serverSettings.save(changed)
        await first.shutdown()

        let second = try await file.open()
        #expect(try await second.serverSettings.setting("notifications") == changed)
        #expect(try await second.serverSettings.delete("notifications"))
        #expect(try await second.serverSettings.delete("notifications") == false)
        #expect(try await second.serverSettings.setting("notifications") == nil)
        await second.shutdown()
    }
}
