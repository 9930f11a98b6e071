/// Cipher suites by the names Go's `tls.CipherSuites()` gives them, which is what exporter-toolkit's
/// `cipher_suites` accepts. Go offers no insecure suite under these names, and neither does this
/// list. TLS 1.3 suites are accepted but not configurable, in Go or in BoringSSL: a list of only
/// TLS 1.3 suites leaves no TLS 1.2 suite, so only TLS 1.3 is spoken, as with Go.
public enum TLSCipherSuite: String, Sendable, CaseIterable {
    case ecdheECDSAWithAES128CBCSHA = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"
    case ecdheECDSAWithAES256CBCSHA = "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"
    case ecdheRSAWithAES128CBCSHA = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"
    case ecdheRSAWithAES256CBCSHA = "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"
    case ecdheECDSAWithAES128GCMSHA256 = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
    case ecdheECDSAWithAES256GCMSHA384 = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"
    case ecdheRSAWithAES128GCMSHA256 = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
    case ecdheRSAWithAES256GCMSHA384 = "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"
    case ecdheRSAWithChaCha20Poly1305 = "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"
    case ecdheECDSAWithChaCha20Poly1305 = "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"
    case aes128GCMSHA256 = "TLS_AES_128_GCM_SHA256"
    case aes256GCMSHA384 = "TLS_AES_256_GCM_SHA384"
    case chaCha20Poly1305SHA256 = "TLS_CHACHA20_POLY1305_SHA256"

    /// A TLS 1.3 suite, which BoringSSL always offers with TLS 1.3 and never lets a list change.
    public var isTLS13: Bool { codePoint >> 8 == 0x13 }

    /// The IANA code point.
    public var codePoint: UInt16 {
        switch self {
        case .ecdheECDSAWithAES128CBCSHA: 0xC009
        case .ecdheECDSAWithAES256CBCSHA: 0xC00A
        case .ecdheRSAWithAES128CBCSHA: 0xC013
        case .ecdheRSAWithAES256CBCSHA: 0xC014
        case .ecdheECDSAWithAES128GCMSHA256: 0xC02B
        case .ecdheECDSAWithAES256GCMSHA384: 0xC02C
        case .ecdheRSAWithAES128GCMSHA256: 0xC02F
        case .ecdheRSAWithAES256GCMSHA384: 0xC030
        case .ecdheRSAWithChaCha20Poly1305: 0xCCA8
        case .ecdheECDSAWithChaCha20Poly1305: 0xCCA9
        case .aes128GCMSHA256: 0x1301
        case .aes256GCMSHA384: 0x1302
        case .chaCha20Poly1305SHA256: 0x1303
        }
    }
}

/// Key-exchange curves by the names exporter-toolkit's `curve_preferences` accepts.
public enum TLSCurve: String, Sendable, CaseIterable {
    case p256 = "CurveP256"
    case p384 = "CurveP384"
    case p521 = "CurveP521"
    case x25519 = "X25519"

    /// The IANA named-group code point.
    public var codePoint: UInt16 {
        switch self {
        case .p256: 0x17
        case .p384: 0x18
        case .p521: 0x19
        case .x25519: 0x1D
        }
    }
}
