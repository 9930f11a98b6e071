import VitalsSystem

/// node_exporter's `--web.config.file`, in exporter-toolkit's format:
///
/// ```yaml
/// tls_server_config:
///   cert_file: server.crt
///   key_file: server.key
///   client_auth_type: RequireAndVerifyClientCert
///   client_ca_file: ca.crt
///   min_version: TLS12
/// basic_auth_users:
///   prometheus: $2y$10$...   # bcrypt
/// http_server_config:
///   headers:
///     Strict-Transport-Security: max-age=31536000
/// ```
///
/// Relative file paths are relative to the config file's directory, as in exporter-toolkit.
public struct WebConfig: Sendable, Equatable {
    public var tls: TLSServerConfig?
    /// User name → bcrypt hash.
    public var basicAuthUsers: [String: String] = [:]
    /// Headers added to every response.
    public var headers: [String: String] = [:]

    public init() {}
}

public struct TLSServerConfig: Sendable, Equatable {
    public enum ClientAuth: String, Sendable, CaseIterable {
        case noClientCert = "NoClientCert"
        case requestClientCert = "RequestClientCert"
        case requireAnyClientCert = "RequireAnyClientCert"
        case verifyClientCertIfGiven = "VerifyClientCertIfGiven"
        case requireAndVerifyClientCert = "RequireAndVerifyClientCert"
    }

    public enum Version: String, Sendable, CaseIterable {
        case tls10 = "TLS10"
        case tls11 = "TLS11"
        case tls12 = "TLS12"
        case tls13 = "TLS13"
    }

    public var certFile: String
    public var keyFile: String
    public var clientAuth = ClientAuth.noClientCert
    public var clientCAFile: String?
    public var minVersion = Version.tls12
    public var maxVersion: Version?
    /// TLS 1.2 cipher suites by Go's names; empty means the forward-secret default.
    public var cipherSuites: [TLSCipherSuite] = []
    /// Key-exchange curves by Go's names; empty means BoringSSL's default.
    public var curvePreferences: [TLSCurve] = []
    /// A client certificate must carry one of these DNS, email, IP or URI SANs; nil means any.
    public var clientAllowedSANs: [String]?

    public init(certFile: String, keyFile: String) {
        self.certFile = certFile
        self.keyFile = keyFile
    }
}

/// A web config file that cannot be used: the file, where, and what was expected.
public typealias WebConfigError = SourceError

extension SourceError {
    /// An error at a node's position, or about the file as a whole.
    init(file: String, position: TextPosition?, message: String) {
        self.init(file: file, line: position?.line ?? 0, column: position?.column ?? 0, message: message)
    }
}

extension WebConfig {
    /// Parses the text of a web config file named `file` (used in messages and to resolve relative paths).
    public static func parse(_ text: String, file: String) throws(WebConfigError) -> WebConfig {
        var parser = YAMLSubsetParser(text, file: file)
        let root = try parser.parse()
        let directory = file.contains("/") ? String(file[..<file.lastIndex(of: "/")!]) : "."
        func fail(_ node: YAMLSubsetNode, _ message: String) -> WebConfigError {
            WebConfigError(file: file, position: node.position, message: message)
        }
        func mapping(_ node: YAMLSubsetNode, _ what: String) throws(WebConfigError) -> [(
            key: String, keyPosition: TextPosition, value: YAMLSubsetNode
        )] {
            switch node {
            case .mapping(let entries, _): return entries
            case .null: return []
            default: throw fail(node, "\(what) must be a mapping of keys to values")
            }
        }
        func string(_ node: YAMLSubsetNode, _ key: String) throws(WebConfigError) -> String {
            guard case .scalar(let value, _, _) = node else { throw fail(node, "\(key) must be a string") }
            return value
        }
        func list(_ node: YAMLSubsetNode, _ key: String) throws(WebConfigError) -> [YAMLSubsetNode] {
            switch node {
            case .sequence(let items, _): return items
            case .null: return []
            default: throw fail(node, "\(key) must be a list")
            }
        }
        /// A list of names of a closed set (Go's cipher and curve names).
        func names<Name: RawRepresentable & CaseIterable>(
            _ node: YAMLSubsetNode, _ key: String, kind: String
        ) throws(WebConfigError) -> [Name] where Name.RawValue == String {
            var result: [Name] = []
            for item in try list(node, key) {
                let text = try string(item, "each of \(key)")
                guard let name = Name(rawValue: text) else {
                    throw fail(
                        item,
                        "unknown \(kind) \"\(text)\"; expected one of \(Name.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                result.append(name)
            }
            return result
        }
        func path(_ value: String) -> String {
            value.hasPrefix("/") || value.isEmpty ? value : directory + "/" + value
        }

        var config = WebConfig()
        for (key, keyPosition, value) in try mapping(root, "the web config") {
            switch key {
            case "tls_server_config":
                var certFile: String?
                var keyFile: String?
                var tls = TLSServerConfig(certFile: "", keyFile: "")
                for (tlsKey, tlsKeyPosition, tlsValue) in try mapping(value, "tls_server_config") {
                    switch tlsKey {
                    case "cert_file": certFile = path(try string(tlsValue, tlsKey))
                    case "key_file": keyFile = path(try string(tlsValue, tlsKey))
                    case "client_ca_file": tls.clientCAFile = path(try string(tlsValue, tlsKey))
                    case "client_auth_type":
                        let text = try string(tlsValue, tlsKey)
                        guard let auth = TLSServerConfig.ClientAuth(rawValue: text) else {
                            throw fail(
                                tlsValue,
                                "invalid client_auth_type \"\(text)\"; expected one of \(TLSServerConfig.ClientAuth.allCases.map(\.rawValue).joined(separator: ", "))"
                            )
                        }
                        tls.clientAuth = auth
                    case "min_version", "max_version":
                        let text = try string(tlsValue, tlsKey)
                        guard let version = TLSServerConfig.Version(rawValue: text) else {
                            throw fail(tlsValue, "invalid \(tlsKey) \"\(text)\"; expected TLS10, TLS11, TLS12 or TLS13")
                        }
                        if tlsKey == "min_version" { tls.minVersion = version } else { tls.maxVersion = version }
                    case "cipher_suites":
                        tls.cipherSuites = try names(tlsValue, tlsKey, kind: "cipher")
                    case "curve_preferences":
                        tls.curvePreferences = try names(tlsValue, tlsKey, kind: "curve")
                    case "client_allowed_sans":
                        tls.clientAllowedSANs = try list(tlsValue, tlsKey).map { item throws(WebConfigError) in
                            try string(item, "each of client_allowed_sans")
                        }
                    case "prefer_server_cipher_suites":
                        // Go ignores it since 1.18 and BoringSSL always prefers the server's order.
                        continue
                    default:
                        throw WebConfigError(
                            file: file, position: tlsKeyPosition,
                            message:
                                "unknown key \"\(tlsKey)\" in tls_server_config; expected cert_file, key_file, client_auth_type, client_ca_file, min_version, max_version, cipher_suites, curve_preferences, prefer_server_cipher_suites or client_allowed_sans"
                        )
                    }
                }
                guard let certFile, !certFile.isEmpty else {
                    throw fail(value, "tls_server_config is missing cert_file")
                }
                guard let keyFile, !keyFile.isEmpty else { throw fail(value, "tls_server_config is missing key_file") }
                tls.certFile = certFile
                tls.keyFile = keyFile
                if tls.clientAllowedSANs != nil, tls.clientAuth == .noClientCert || tls.clientAuth == .requestClientCert
                {
                    throw fail(
                        value,
                        "client_allowed_sans needs a client_auth_type that requires a certificate (RequireAnyClientCert, VerifyClientCertIfGiven or RequireAndVerifyClientCert)"
                    )
                }
                if tls.clientCAFile == nil,
                    tls.clientAuth == .verifyClientCertIfGiven || tls.clientAuth == .requireAndVerifyClientCert
                {
                    throw fail(value, "client_auth_type \(tls.clientAuth.rawValue) needs client_ca_file")
                }
                config.tls = tls
            case "basic_auth_users":
                for (user, _, hashNode) in try mapping(value, "basic_auth_users") {
                    let hash = try string(hashNode, "the password hash of \(user)")
                    if let problem = BasicAuthenticator.problem(with: hash) {
                        throw fail(hashNode, "the password of \"\(user)\" \(problem)")
                    }
                    config.basicAuthUsers[user] = hash
                }
            case "http_server_config":
                for (serverKey, serverKeyPosition, serverValue) in try mapping(value, "http_server_config") {
                    switch serverKey {
                    case "http2":
                        continue  // HTTP/2 is not offered; the key is accepted for compatibility.
                    case "headers":
                        for (name, _, headerValue) in try mapping(serverValue, "headers") {
                            config.headers[name] = try string(headerValue, name)
                        }
                    default:
                        throw WebConfigError(
                            file: file, position: serverKeyPosition,
                            message: "unknown key \"\(serverKey)\" in http_server_config; expected http2 or headers")
                    }
                }
            default:
                throw WebConfigError(
                    file: file, position: keyPosition,
                    message:
                        "unknown key \"\(key)\"; expected tls_server_config, basic_auth_users or http_server_config")
            }
        }
        return config
    }
}
