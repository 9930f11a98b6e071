import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What the server needs to speak TLS on a new connection.
public struct TLSSetup: Sendable {
    public var context: NIOSSLContext
    /// Require a client certificate but accept any (exporter-toolkit's `RequireAnyClientCert`).
    public var acceptAnyClientCertificate: Bool
    /// A client certificate must name one of these as a DNS, email, IP or URI SAN
    /// (exporter-toolkit's `client_allowed_sans`); nil accepts any name.
    public var allowedSANs: [String]?

    public init(context: NIOSSLContext, acceptAnyClientCertificate: Bool = false, allowedSANs: [String]? = nil) {
        self.context = context
        self.acceptAnyClientCertificate = acceptAnyClientCertificate
        self.allowedSANs = allowedSANs
    }

    /// Whether a client's leaf certificate carries an allowed SAN; IP SANs compare in their usual
    /// text form (`10.0.0.1`, `::1`), as Go prints them.
    public func permits(_ certificate: NIOSSLCertificate) -> Bool {
        guard let allowedSANs else { return true }
        for name in certificate._subjectAlternativeNames() {
            let text: String? = name.contents.withUnsafeBufferPointer { bytes in
                switch name.nameType {
                case .ipAddress: Self.ipText(bytes)
                case .dnsName, .email, .uri: String(decoding: bytes, as: UTF8.self)
                default: nil
                }
            }
            if let text, allowedSANs.contains(text) { return true }
        }
        return false
    }

    private static func ipText(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let family: Int32
        switch bytes.count {
        case 4: family = AF_INET
        case 16: family = AF_INET6
        default: return nil
        }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(family, bytes.baseAddress, &text, socklen_t(text.count)) != nil else { return nil }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
