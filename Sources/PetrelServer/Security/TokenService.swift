import Crypto
import Foundation
import JWTKit
import PetrelPersistence
import PetrelRuntime
import Synchronization

/// Issues and checks access tokens (JWT, HS256 only, 15 minutes) and refresh tokens (opaque random
/// strings, stored as hashes, rotated on every use).
public struct TokenService: Sendable {
    /// Who a valid access token speaks for.
    public struct Identity: Sendable, Hashable {
        public var userID: Int64
        public var username: String
        public var role: UserRole

        public init(userID: Int64, username: String, role: UserRole) {
            self.userID = userID
            self.username = username
            self.role = role
        }
    }

    /// Why a token is not accepted (the message never echoes the token).
    public enum Rejection: Error, Sendable, Equatable, CustomStringConvertible {
        case malformed
        case algorithm(String)
        case signature
        case wrongType(String)
        case expired
        case notYetValid

        public var description: String {
            switch self {
            case .malformed: return "the token is not a well-formed JWT"
            case .algorithm(let alg): return "the token's algorithm '\(alg)' is not accepted (only HS256)"
            case .signature: return "the token's signature does not verify"
            case .wrongType(let type): return "a '\(type)' token cannot be used here; send an access token"
            case .expired: return "the access token has expired; refresh it"
            case .notYetValid: return "the token was issued in the future"
            }
        }
    }

    /// Access tokens live this long (ms).
    public static let accessLifetime: Int64 = 15 * 60 * 1_000
    /// Refresh tokens live this long (ms): a session idle for longer must log in again.
    public static let refreshLifetime: Int64 = 14 * 24 * 3_600 * 1_000
    /// Clock difference tolerated for `iat` (ms).
    static let leeway: Int64 = 60_000

    let keys: JWTKeyCollection
    let clock: any TradingClock
    /// Tokens already verified, with their identity and expiry: a client sends the same token with every
    /// request, so its signature is checked once. Bounded; emptied when full.
    let verified = VerifiedTokens()

    /// A service signing with `secret` (at least 32 bytes, see ``SecretFile``).
    public init(secret: [UInt8], clock: any TradingClock) async {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(key: SymmetricKey(data: secret)), digestAlgorithm: .sha256)
        self.keys = keys
        self.clock = clock
    }

    /// A signed access token for `user`, and when it expires (Unix ms).
    public func accessToken(for user: UserRecord) async throws -> (token: String, expiresAt: Int64) {
        let now = clock.now()
        let expiresAt = now + Self.accessLifetime
        let claims = AccessClaims(
            sub: SubjectClaim(value: String(user.id)), name: user.username, role: user.role.rawValue, type: "access",
            iat: IssuedAtClaim(value: Date(milliseconds: now)),
            exp: ExpirationClaim(value: Date(milliseconds: expiresAt)))
        return (try await keys.sign(claims, header: ["typ": "JWT"]), expiresAt)
    }

    /// Checks an access token: HS256 only (the header's `alg` is pinned before the signature is
    /// computed), a valid signature, `type` `access`, not expired, not issued in the future.
    /// - Throws: ``Rejection``.
    public func verifyAccess(_ token: String) async throws(Rejection) -> Identity {
        let now = clock.now()
        if let known = verified.lookup(token) {
            guard now < known.expiresAt else { throw .expired }
            return known.identity
        }
        let identity = try await verifySignature(token)
        return identity
    }

    private func verifySignature(_ token: String) async throws(Rejection) -> Identity {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let header = Self.decodeSegment(parts[0]),
            let fields = try? JSONSerialization.jsonObject(with: header) as? [String: Any]
        else { throw .malformed }
        let alg = fields["alg"] as? String ?? ""
        guard alg == "HS256" else { throw .algorithm(alg) }
        let claims: AccessClaims
        do {
            claims = try await keys.verify(token, as: AccessClaims.self)
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw .signature
        } catch {
            throw .malformed
        }
        guard claims.type == "access" else { throw .wrongType(claims.type) }
        let now = clock.now()
        guard now < claims.exp.value.milliseconds else { throw .expired }
        guard claims.iat.value.milliseconds <= now + Self.leeway else { throw .notYetValid }
        guard let id = Int64(claims.sub.value), let role = UserRole(rawValue: claims.role) else { throw .malformed }
        let identity = Identity(userID: id, username: claims.name, role: role)
        verified.remember(token, identity: identity, expiresAt: claims.exp.value.milliseconds)
        return identity
    }

    /// A new refresh token (256 random bits, base64url) and the record to store for it (its hash).
    public func newRefreshToken(user: Int64, family: String?) -> (token: String, record: RefreshTokenRecord) {
        let token = Self.randomToken()
        let now = clock.now()
        return (
            token,
            RefreshTokenRecord(
                tokenHash: Self.hash(token), userID: user, family: family ?? Self.randomToken(),
                expiresAt: now + Self.refreshLifetime, createdAt: now)
        )
    }

    /// The hex SHA-256 of a token: what is stored and looked up.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// 256 random bits, base64url without padding.
    public static func randomToken() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decodeSegment(_ segment: Substring) -> Data? {
        var text = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return Data(base64Encoded: text)
    }
}

extension Date {
    init(milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1_000)
    }

    var milliseconds: Int64 { Int64((timeIntervalSince1970 * 1_000).rounded()) }
}

/// Access tokens whose signature and claims were checked, up to a bound.
final class VerifiedTokens: Sendable {
    struct Entry: Sendable {
        var identity: TokenService.Identity
        var expiresAt: Int64
    }

    static let limit = 10_000
    private let table = Mutex<[String: Entry]>([:])

    func lookup(_ token: String) -> Entry? { table.withLock { $0[token] } }

    func remember(_ token: String, identity: TokenService.Identity, expiresAt: Int64) {
        table.withLock { table in
            if table.count >= Self.limit { table.removeAll(keepingCapacity: true) }
            table[token] = Entry(identity: identity, expiresAt: expiresAt)
        }
    }
}
