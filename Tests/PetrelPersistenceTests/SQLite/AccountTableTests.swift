import Foundation
import PetrelPersistence
import PetrelRuntime
import Testing

/// The server's tables: users, refresh tokens (rotation and reuse detection), the audit log, bot owners.
@Suite("Account tables")
struct AccountTableTests {
    static func token(_ hash: String, user: Int64, family: String = "f1", expiresAt: Int64 = 10_000)
        -> RefreshTokenRecord
    {
        RefreshTokenRecord(tokenHash: hash, userID: user, family: family, expiresAt: expiresAt, createdAt: 1)
    }

    @Test("users get ids, a taken name is a conflict, and updates and deletes stick across a reopen")
    func users() async throws {
        let file = try TestDatabaseFile()
        defer { file.remove() }
        let database = try await file.open()
        let alice = try await database.users.create(username: "alice", passwordHash: "h1", role: .admin, at: 5)
        let bob = try await database.users.create(username: "bob", passwordHash: "h2", role: .viewer, at: 6)
        #expect(alice.id != bob.id)
        await #expect(throws: StorageError.conflict("the username 'alice' is taken")) {
            _ = try await database.users.create(username: "alice", passwordHash: "x", role: .trader, at: 7)
        }
        let changed = try await database.users.update(id: bob.id, role: .trader, isDisabled: true, at: 9)
        #expect(changed.role == .trader && changed.isDisabled && changed.passwordHash == "h2" && changed.updatedAt == 9)
        await database.shutdown()

        let reopened = try await file.open()
        #expect(try await reopened.users.count() == 2)
        #expect(try await reopened.users.user(named: "bob") == changed)
        try await reopened.users.delete(id: alice.id)
        #expect(try await reopened.users.user(id: alice.id) == nil)
        await #expect(throws: StorageError.notFound("user \(alice.id)")) {
            try await reopened.users.delete(id: alice.id)
        }
        #expect(try await reopened.users.all().map(\.username) == ["bob"])
        await reopened.shutdown()
    }

    @Test("rotating a refresh token revokes it and stores its successor in the same session")
    func rotation() async throws {
        try await withDatabaseFile { database, _ in
            let user = try await database.users.create(username: "u", passwordHash: "h", role: .trader, at: 1)
            try await database.refreshTokens.insert(Self.token("a", user: user.id))
            let before = try await database.refreshTokens.rotate(
                presented: "a", next: Self.token("b", user: 999, family: "other"), at: 100)
            #expect(before?.revokedAt == nil)
            #expect(try await database.refreshTokens.token(hash: "a")?.revokedAt == 100)
            let next = try #require(try await database.refreshTokens.token(hash: "b"))
            #expect(next.family == "f1" && next.userID == user.id && next.revokedAt == nil)
            #expect(
                try await database.refreshTokens.rotate(presented: "nope", next: Self.token("c", user: 1), at: 1) == nil
            )
        }
    }

    @Test("presenting a revoked refresh token again revokes its whole session")
    func reuseRevokesFamily() async throws {
        try await withDatabaseFile { database, _ in
            let user = try await database.users.create(username: "u", passwordHash: "h", role: .trader, at: 1)
            try await database.refreshTokens.insert(Self.token("a", user: user.id))
            try await database.refreshTokens.insert(Self.token("z", user: user.id, family: "f2"))
            _ = try await database.refreshTokens.rotate(presented: "a", next: Self.token("b", user: user.id), at: 100)
            let replay = try await database.refreshTokens.rotate(
                presented: "a", next: Self.token("c", user: user.id), at: 200)
            #expect(replay?.revokedAt == 100)
            #expect(try await database.refreshTokens.token(hash: "b")?.revokedAt == 200)
            #expect(try await database.refreshTokens.token(hash: "c") == nil)
            #expect(try await database.refreshTokens.token(hash: "z")?.revokedAt == nil)
        }
    }

    @Test("an expired refresh token is revoked and gets no successor")
    func expired() async throws {
        try await withDatabaseFile { database, _ in
            let user = try await database.users.create(username: "u", passwordHash: "h", role: .trader, at: 1)
            try await database.refreshTokens.insert(Self.token("a", user: user.id, expiresAt: 50))
            let before = try await database.refreshTokens.rotate(
                presented: "a", next: Self.token("b", user: user.id), at: 60)
            #expect(before?.expiresAt == 50)
            #expect(try await database.refreshTokens.token(hash: "b") == nil)
            #expect(try await database.refreshTokens.token(hash: "a")?.revokedAt == 60)
        }
    }

    @Test("logout revokes the session; deleting a user deletes their tokens")
    func logoutAndDelete() async throws {
        try await withDatabaseFile { database, _ in
            let user = try await database.users.create(username: "u", passwordHash: "h", role: .trader, at: 1)
            try await database.refreshTokens.insert(Self.token("a", user: user.id))
            try await database.refreshTokens.insert(Self.token("b", user: user.id, family: "f2"))
            #expect(try await database.refreshTokens.revokeSession(of: "a", at: 7))
            #expect(try await database.refreshTokens.token(hash: "a")?.revokedAt == 7)
            #expect(try await database.refreshTokens.token(hash: "b")?.revokedAt == nil)
            #expect(try await database.refreshTokens.revokeSession(of: "unknown", at: 7) == false)
            try await database.refreshTokens.revokeAll(user: user.id, at: 8)
            #expect(try await database.refreshTokens.token(hash: "b")?.revokedAt == 8)
            try await database.users.delete(id: user.id)
            #expect(try await database.refreshTokens.token(hash: "b") == nil)
        }
    }

    @Test("the audit log reads back newest first, paged and filtered by action")
    func auditLog() async throws {
        try await withDatabaseFile { database, _ in
            for (index, action) in ["login", "bot_start", "login", "bot_stop"].enumerated() {
                try await database.auditLog.append(
                    AuditEntry(
                        at: Int64(index), userID: 1, username: "alice", action: action, target: "bot:a",
                        detail: "#\(index)", address: "127.0.0.1"))
            }
            #expect(try await database.auditLog.recent(limit: 2).map(\.detail) == ["#3", "#2"])
            #expect(try await database.auditLog.recent(limit: 2, offset: 2).map(\.detail) == ["#1", "#0"])
            #expect(try await database.auditLog.recent(limit: 10, action: "login").map(\.detail) == ["#2", "#0"])
        }
    }

    @Test("a bot's owner is stored and read back")
    func botOwner() async throws {
        try await withDatabaseFile { database, _ in
            try await database.bots.save(
                BotRecord(id: "a", configuration: "{}", mode: .paper, createdAt: 1, ownerID: 4))
            try await database.bots.save(BotRecord(id: "b", configuration: "{}", mode: .paper, createdAt: 1))
            #expect(try await database.bots.bot("a")?.ownerID == 4)
            #expect(try await database.bots.bot("b")?.ownerID == nil)
        }
    }

    @Test("deleting a bot deletes its paper account too, so a new bot with its id starts afresh")
    func deleteRemovesPaperAccount() async throws {
        try await withDatabaseFile { database, _ in
            try await database.bots.save(BotRecord(id: "a", configuration: "{}", mode: .paper, createdAt: 1))
            try await database.paperAccounts.save([1, 2, 3], account: "a")
            try await database.paperAccounts.save([4], account: "b")
            try await database.bots.delete("a")
            #expect(try await database.paperAccounts.load(account: "a") == nil)
            #expect(try await database.paperAccounts.load(account: "b") != nil)
        }
    }
}
