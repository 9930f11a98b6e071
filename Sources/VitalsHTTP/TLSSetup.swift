import NIOSSL

/// What the server needs to speak TLS on a new connection.
public struct TLSSetup: Sendable {
    public var context: NIOSSLContext
    /// Require a client certificate but accept any (exporter-toolkit's `RequireAnyClientCert`).
    public var acceptAnyClientCertificate: Bool

    public init(context: NIOSSLContext, acceptAnyClientCertificate: Bool = false) {
        self.context = context
        self.acceptAnyClientCertificate = acceptAnyClientCertificate
    }
}
