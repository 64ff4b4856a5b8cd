import Crypto
import Foundation
import PetrelPersistence
import PetrelRuntime
import PetrelServer
import Testing

/// Access tokens: HS256 pinned, signature, type, expiry and issue time checked.
@Suite("Token service")
struct TokenServiceTests {
    static let secret = Array(String(repeating: "k", count: 24).utf8) + Array("0123456789".utf8)
    static let user = UserRecord(id: 7, username: "alice", passwordHash: "x", role: .trader, createdAt: 0)

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A token with any header and payload, signed with HS256 and `secret`.
    static func forge(header: String, payload: String, secret: [UInt8] = TokenServiceTests.secret) -> String {
        let signingInput = base64URL(Data(header.utf8)) + "." + base64URL(Data(payload.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: SymmetricKey(data: secret))
        return signingInput + "." + base64URL(Data(mac))
    }

    static func payload(type: String = "access", iat: Int64, exp: Int64) -> String {
        #"{"sub":"7","name":"alice","role":"trader","type":"\#(type)","iat":\#(Double(iat) / 1000),"exp":\#(Double(exp) / 1000)}"#
    }

    @Test("an issued token verifies to its user and role until it expires after 15 minutes")
    func roundTrip() async throws {
        let clock = TestClock(1_800_000_000_000)
        let service = await TokenService(secret: Self.secret, clock: clock)
        let (token, expiresAt) = try await service.accessToken(for: Self.user)
        #expect(expiresAt == 1_800_000_000_000 + 900_000)
        let identity = try await service.verifyAccess(token)
        #expect(identity == TokenService.Identity(userID: 7, username: "alice", role: .trader))
        clock.advance(by: 900_000)
        await #expect(throws: TokenService.Rejection.expired) { try await service.verifyAccess(token) }
    }

    @Test("alg none, HS384 and other algorithms are refused before any signature check")
    func algorithmPinned() async throws {
        let clock = TestClock(1_800_000_000_000)
        let service = await TokenService(secret: Self.secret, clock: clock)
        let body = Self.payload(iat: clock.now(), exp: clock.now() + 60_000)
        let none =
            Self.base64URL(Data(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "."
            + Self.base64URL(Data(body.utf8)) + "."
        await #expect(throws: TokenService.Rejection.algorithm("none")) { try await service.verifyAccess(none) }
        let hs384 = Self.forge(header: #"{"alg":"HS384","typ":"JWT"}"#, payload: body)
        await #expect(throws: TokenService.Rejection.algorithm("HS384")) { try await service.verifyAccess(hs384) }
        let good = Self.forge(header: #"{"alg":"HS256","typ":"JWT"}"#, payload: body)
        #expect(try await service.verifyAccess(good).userID == 7)
    }

    @Test("a token signed with another key, or edited after signing, fails the signature check")
    func signature() async throws {
        let clock = TestClock(1_800_000_000_000)
        let service = await TokenService(secret: Self.secret, clock: clock)
        let body = Self.payload(iat: clock.now(), exp: clock.now() + 60_000)
        let other = Self.forge(
            header: #"{"alg":"HS256","typ":"JWT"}"#, payload: body, secret: Array(repeating: 1, count: 32))
        await #expect(throws: TokenService.Rejection.signature) { try await service.verifyAccess(other) }
        let (token, _) = try await service.accessToken(for: Self.user)
        var parts = token.split(separator: ".").map(String.init)
        parts[1] = Self.base64URL(
            Data(
                Self.payload(iat: clock.now(), exp: clock.now() + 60_000).replacingOccurrences(
                    of: "trader", with: "admin"
                ).utf8))
        await #expect(throws: TokenService.Rejection.signature) {
            try await service.verifyAccess(parts.joined(separator: "."))
        }
        await #expect(throws: TokenService.Rejection.malformed) { try await service.verifyAccess("not-a-token") }
    }

    @Test("a validly signed token of another type, or issued in the future, is refused")
    func typeAndIssueTime() async throws {
        let clock = TestClock(1_800_000_000_000)
        let service = await TokenService(secret: Self.secret, clock: clock)
        let refresh = Self.forge(
            header: #"{"alg":"HS256","typ":"JWT"}"#,
            payload: Self.payload(type: "refresh", iat: clock.now(), exp: clock.now() + 60_000))
        await #expect(throws: TokenService.Rejection.wrongType("refresh")) { try await service.verifyAccess(refresh) }
        let future = Self.forge(
            header: #"{"alg":"HS256","typ":"JWT"}"#,
            payload: Self.payload(iat: clock.now() + 3_600_000, exp: clock.now() + 7_200_000))
        await #expect(throws: TokenService.Rejection.notYetValid) { try await service.verifyAccess(future) }
    }

    @Test("refresh tokens are 256 random bits and only their SHA-256 is stored")
    func refreshTokens() async throws {
        let service = await TokenService(secret: Self.secret, clock: TestClock(5))
        let a = service.newRefreshToken(user: 7, family: nil)
        let b = service.newRefreshToken(user: 7, family: "fam")
        #expect(a.token != b.token && a.token.count == 43)
        #expect(a.record.tokenHash == TokenService.hash(a.token) && a.record.tokenHash.count == 64)
        #expect(!a.record.tokenHash.contains(a.token))
        #expect(b.record.family == "fam" && b.record.expiresAt == 5 + TokenService.refreshLifetime)
    }
}
