import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which addresses a webhook may reach: public ones only, unless the webhook is explicitly allowed private
/// ones. Refused: loopback, private (RFC 1918, unique local), link-local (the cloud metadata service at
/// 169.254.169.254 among them), carrier-grade NAT, unspecified, multicast and reserved ranges.
///
/// The check resolves the host name before each delivery and refuses it when any address is refused.
/// (A host that changes its answer between this check and the connection — DNS rebinding — is not
/// caught; redirects are never followed.)
public enum AddressPolicy {
    /// Why an address is refused, or `nil` when it is public.
    public static func refusal(_ address: String) -> String? {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            let b = withUnsafeBytes(of: v4.s_addr) { Array($0) }
            switch (b[0], b[1]) {
            case (127, _): return "loopback"
            case (10, _), (172, 16...31), (192, 168): return "private"
            case (169, 254): return "link-local (cloud metadata)"
            case (100, 64...127): return "carrier-grade NAT"
            case (0, _): return "unspecified"
            case (224...255, _): return "multicast or reserved"
            case (192, 0) where b[2] == 0: return "reserved"
            default: return nil
            }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, address, &v6) == 1 {
            let b = withUnsafeBytes(of: v6) { Array($0) }
            if b.allSatisfy({ $0 == 0 }) { return "unspecified" }
            if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return "loopback" }
            if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff {
                return refusal("\(b[12]).\(b[13]).\(b[14]).\(b[15])")
            }
            if b[0] & 0xfe == 0xfc { return "private (unique local)" }
            if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return "link-local" }
            if b[0] == 0xff { return "multicast" }
            return nil
        }
        return "not an IP address"
    }

    /// The addresses `host` resolves to (an IP literal resolves to itself).
    /// - Throws: ``DeliveryError/retryable(_:retryAfterSeconds:)`` when the name does not resolve.
    static func resolve(_ host: String) async throws(DeliveryError) -> [String] {
        let trimmed = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let result: Result<[String], DeliveryError> = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                var hints = addrinfo()
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
                var list: UnsafeMutablePointer<addrinfo>?
                let status = getaddrinfo(trimmed, nil, &hints, &list)
                guard status == 0, let first = list else {
                    continuation.resume(returning: .failure(.retryable("cannot resolve \(trimmed)")))
                    return
                }
                defer { freeaddrinfo(first) }
                var addresses: [String] = []
                var node: UnsafeMutablePointer<addrinfo>? = first
                while let current = node {
                    var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                    if getnameinfo(
                        current.pointee.ai_addr, current.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0,
                        NI_NUMERICHOST) == 0
                    {
                        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
                        addresses.append(String(decoding: bytes, as: UTF8.self))
                    }
                    node = current.pointee.ai_next
                }
                continuation.resume(returning: .success(Array(Set(addresses)).sorted()))
            }
        }
        return try result.get()
    }

    /// - Throws: ``DeliveryError/rejected(_:)`` naming the address and why, when `host` reaches a refused one.
    static func check(_ host: String, allowPrivate: Bool) async throws(DeliveryError) {
        guard !allowPrivate else { return }
        for address in try await resolve(host) {
            if let why = refusal(address) {
                throw .rejected(
                    "webhook host \(host) resolves to \(address), a \(why) address; set allow_private_addresses to allow it"
                )
            }
        }
    }
}
