import Foundation
import JWTKit
import PetrelPersistence

/// The claims of an access token: who (`sub`, `name`), what they may do (`role`), which kind of token
/// (`type`: always `access`; a refresh token is an opaque random string, never a JWT), and when.
struct AccessClaims: JWTPayload, Equatable {
    var sub: SubjectClaim
    var name: String
    var role: String
    var type: String
    var iat: IssuedAtClaim
    var exp: ExpirationClaim

    /// Only the signature is checked by jwt-kit; ``TokenService`` checks type, times and role itself with its
    /// own clock.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
