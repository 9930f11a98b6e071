import Foundation
import Testing
import VitalsTestSupport
import VitalsTestTraits

/// `--web.config.file` end to end: real TLS handshakes from curl, basic auth, client certificates,
/// reloads and a malformed file, against the exporter binary.
@Suite(.serialized, .blockingWork) struct WebConfigTLSTests {
    typealias PKI = TestPKI

    /// A bcrypt hash of "s3cret pass" made by libxcrypt, an implementation independent of ours.
    static let hash = "$2b$05$biDrNdKI2mAVEC706ZMg/OWSN6t6oS4vNjNpdP.ptf0/1n8KsWUzm"

    static func curl(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try runCommand(
            "/usr/bin/curl", ["-sS", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}"] + arguments)
    }

    @Test func tlsHandshakeSucceedsWithTheRightCAAndFailsWithTheWrongOne() throws {
        let pki = try PKI()
        let config = try pki.writeConfig("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n")
        let exporter = try ExporterUnderTest(vitalsArguments: ["--web.config.file=\(config)"])
        let good = try Self.curl(["--cacert", pki.path("ca.crt"), "https://localhost:\(exporter.port)/metrics"])
        #expect(good.status == 0)
        #expect(good.output.hasSuffix("200"))
        let wrongCA = try Self.curl(["--cacert", pki.path("other.crt"), "https://localhost:\(exporter.port)/metrics"])
        #expect(wrongCA.status == 60, "curl: \(wrongCA.output)")  // peer certificate cannot be authenticated
        let plain = try Self.curl(["http://localhost:\(exporter.port)/metrics"])
        #expect(plain.status != 0 || !plain.output.hasSuffix("200"))
    }

    @Test func basicAuthRightWrongAndMissing() throws {
        let pki = try PKI()
        let config = try pki.writeConfig("basic_auth_users:\n  prometheus: \(Self.hash)\n")
        let exporter = try ExporterUnderTest(vitalsArguments: ["--web.config.file=\(config)"])
        let url = "http://127.0.0.1:\(exporter.port)/metrics"
        #expect(try Self.curl(["-u", "prometheus:s3cret pass", url]).output == "200")
        #expect(try Self.curl(["-u", "prometheus:wrong-password", url]).output == "401")
        #expect(try Self.curl(["-u", "mallory:s3cret pass", url]).output == "401")
        #expect(try Self.curl([url]).output == "401")
        let missing = try exporter.get("/metrics")
        #expect(missing.header("WWW-Authenticate") == "Basic")
        #expect(exporter.process.output(contains: "wrong user or password"))
        let log = exporter.process.outputText
        #expect(log.contains("unauthorized request"))
        #expect(log.contains("user=prometheus"))
        #expect(!log.contains("wrong-password"))
        #expect(!log.contains("s3cret"))
    }

    @Test func clientCertificateRequiredPresentAbsentAndForeign() throws {
        let pki = try PKI()
        let config = try pki.writeConfig(
            """
            tls_server_config:
              cert_file: server.crt
              key_file: server.key
              client_auth_type: RequireAndVerifyClientCert
              client_ca_file: ca.crt
            """)
        let exporter = try ExporterUnderTest(vitalsArguments: ["--web.config.file=\(config)"])
        let url = "https://localhost:\(exporter.port)/metrics"
        let withCert = try Self.curl(pki.clientArguments("client") + [url])
        #expect(withCert.output.hasSuffix("200"), "\(withCert)")
        let without = try Self.curl(["--cacert", pki.path("ca.crt"), url])
        #expect(without.status != 0, "a request without a client certificate got \(without.output)")
        let foreign = try Self.curl(pki.clientArguments("rogue") + [url])
        #expect(foreign.status != 0, "a client certificate from another CA got \(foreign.output)")
    }

    @Test func configChangesAreReloadedAndABrokenReloadKeepsTheOldConfig() throws {
        let pki = try PKI()
        let config = try pki.writeConfig("basic_auth_users:\n  prometheus: \(Self.hash)\n")
        let exporter = try ExporterUnderTest(vitalsArguments: ["--web.config.file=\(config)"])
        let url = "http://127.0.0.1:\(exporter.port)/metrics"
        #expect(try Self.curl(["-u", "prometheus:s3cret pass", url]).output == "200")
        // A broken edit is rejected; the old users still work.
        _ = try pki.writeConfig("basic_auth_users:\n  prometheus: plaintext\n")
        try #require(
            exporter.process.output(contains: "could not reload web config", within: 10),
            "\(exporter.process.outputText)")
        #expect(try Self.curl(["-u", "prometheus:s3cret pass", url]).output == "200")
        // A valid edit takes effect without a restart, however soon it follows the last one.
        _ = try pki.writeConfig("basic_auth_users:\n  scraper: \(Self.hash)\n")
        try #require(
            exporter.process.output(contains: "reloaded web config", within: 10), "\(exporter.process.outputText)")
        #expect(try Self.curl(["-u", "scraper:s3cret pass", url]).output == "200")
        #expect(try Self.curl(["-u", "prometheus:s3cret pass", url]).output == "401")
    }

    /// A reload that would turn HTTPS into plain HTTP is refused; the port keeps speaking TLS.
    @Test func aReloadThatDropsTLSIsRefused() throws {
        let pki = try PKI()
        let config = try pki.writeConfig("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n")
        let exporter = try ExporterUnderTest(vitalsArguments: ["--web.config.file=\(config)"])
        _ = try pki.writeConfig("basic_auth_users:\n  prometheus: \(Self.hash)\n")
        try #require(
            exporter.process.output(contains: "it turns TLS off, which takes a restart", within: 10),
            "\(exporter.process.outputText)")
        let https = try Self.curl(["--cacert", pki.path("ca.crt"), "https://localhost:\(exporter.port)/metrics"])
        #expect(https.output.hasSuffix("200"), "\(https)")
        let plain = try Self.curl(["http://localhost:\(exporter.port)/metrics"])
        #expect(!plain.output.hasSuffix("200"), "\(plain)")
    }

    @Test func clientAllowedSANsAdmitOnlyTheNamedClients() throws {
        let pki = try PKI()
        let config = try pki.writeConfig(
            """
            tls_server_config:
              cert_file: server.crt
              key_file: server.key
              client_auth_type: RequireAndVerifyClientCert
              client_ca_file: ca.crt
              client_allowed_sans: [prometheus.example]
            """)
        let exporter = try ExporterUnderTest(vitalsArguments: ["--web.config.file=\(config)"])
        let url = "https://localhost:\(exporter.port)/metrics"
        let named = try Self.curl(pki.clientArguments("client-san") + [url])
        #expect(named.output.hasSuffix("200"), "\(named)")
        // Signed by the right CA, but without the allowed name.
        let unnamed = try Self.curl(pki.clientArguments("client") + [url])
        #expect(unnamed.status != 0, "a certificate without an allowed SAN got \(unnamed.output)")
        #expect(exporter.process.output(contains: "rejected client certificate: no allowed SAN"))
    }

    @Test func clientAllowedSANsMatchIPAddressesWithAnyClientCertificate() throws {
        let pki = try PKI()
        let config = try pki.writeConfig(
            """
            tls_server_config:
              cert_file: server.crt
              key_file: server.key
              client_auth_type: RequireAnyClientCert
              client_allowed_sans: ["10.1.2.3"]
            """)
        let exporter = try ExporterUnderTest(vitalsArguments: ["--web.config.file=\(config)"])
        let url = "https://localhost:\(exporter.port)/metrics"
        let named = try Self.curl(pki.clientArguments("client-san") + [url])
        #expect(named.output.hasSuffix("200"), "\(named)")
        let foreign = try Self.curl(pki.clientArguments("rogue") + [url])
        #expect(foreign.status != 0, "a certificate without an allowed SAN got \(foreign.output)")
    }

    /// Without cipher_suites only forward-secret suites are offered; with it, only those listed.
    @Test func cipherSuitesDefaultToForwardSecrecyAndFollowTheConfig() throws {
        let pki = try PKI()
        let config = try pki.writeConfig("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n")
        let exporter = try ExporterUnderTest(vitalsArguments: ["--web.config.file=\(config)"])
        let url = "https://localhost:\(exporter.port)/metrics"
        func handshake(_ cipher: String, curves: String? = nil) throws -> Bool {
            var arguments = ["--cacert", pki.path("ca.crt"), "--tls-max", "1.2", "--ciphers", cipher]
            if let curves { arguments += ["--curves", curves] }
            return try Self.curl(arguments + [url]).output.hasSuffix("200")
        }
        #expect(try handshake("ECDHE-RSA-AES128-GCM-SHA256"))
        #expect(try !handshake("AES128-GCM-SHA256"), "static-RSA key exchange must not be offered")
        #expect(try !handshake("AES256-SHA"))

        let restricted = try pki.writeConfig(
            """
            tls_server_config:
              cert_file: server.crt
              key_file: server.key
              cipher_suites: [TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]
              curve_preferences: [CurveP384]
            """, name: "restricted.yml")
        let strict = try ExporterUnderTest(vitalsArguments: ["--web.config.file=\(restricted)"])
        let strictURL = "https://localhost:\(strict.port)/metrics"
        func strictHandshake(_ cipher: String, curves: String) throws -> Bool {
            try Self.curl([
                "--cacert", pki.path("ca.crt"), "--tls-max", "1.2", "--ciphers", cipher, "--curves", curves, strictURL,
            ]).output.hasSuffix("200")
        }
        #expect(try strictHandshake("ECDHE-RSA-AES256-GCM-SHA384", curves: "P-384"))
        #expect(try !strictHandshake("ECDHE-RSA-AES128-GCM-SHA256", curves: "P-384"))
        #expect(try !strictHandshake("ECDHE-RSA-AES256-GCM-SHA384", curves: "X25519"))
    }

    @Test func aMalformedConfigFailsAtStartupWithItsPosition() throws {
        let pki = try PKI()
        let config = try pki.writeConfig("tls_server_config:\n  cert_file: server.crt\n  key_fle: server.key\n")
        let result = try runCommand(
            TestPaths.product("vitals-exporter"), ["--web.config.file=\(config)", "--web.listen-address=127.0.0.1:0"])
        #expect(result.status == 2)
        #expect(
            result.output.contains("web.yml:3:3: unknown key \\\"key_fle\\\"")
                || result.output.contains("web.yml:3:3: unknown key \"key_fle\""), "\(result.output)")
        let missingKey = try pki.writeConfig(
            "tls_server_config:\n  cert_file: server.crt\n  key_file: nowhere.key\n", name: "web2.yml")
        let second = try runCommand(
            TestPaths.product("vitals-exporter"),
            ["--web.config.file=\(missingKey)", "--web.listen-address=127.0.0.1:0"])
        #expect(second.status == 2)
        #expect(second.output.contains("nowhere.key"))
    }
}
