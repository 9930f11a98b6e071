import Testing

@testable import VitalsWebConfig

@Suite struct WebConfigTests {
    @Test func parsesExporterToolkitFormat() throws {
        let text = """
            # TLS and auth for vitals-exporter
            tls_server_config:
              cert_file: server.crt
              key_file: /etc/keys/server.key
              client_auth_type: "RequireAndVerifyClientCert"
              client_ca_file: 'ca.crt'
              min_version: TLS13
              cipher_suites: [TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384]
            http_server_config:
              http2: true
              headers:
                X-Frame-Options: deny
            basic_auth_users:
              prometheus: $2b$05$biDrNdKI2mAVEC706ZMg/OWSN6t6oS4vNjNpdP.ptf0/1n8KsWUzm  # s3cret pass
            """
        let config = try WebConfig.parse(text, file: "/etc/vitals/web.yml")
        let tls = try #require(config.tls)
        #expect(tls.certFile == "/etc/vitals/server.crt")
        #expect(tls.keyFile == "/etc/keys/server.key")
        #expect(tls.clientCAFile == "/etc/vitals/ca.crt")
        #expect(tls.clientAuth == .requireAndVerifyClientCert)
        #expect(tls.minVersion == .tls13)
        #expect(config.headers == ["X-Frame-Options": "deny"])
        #expect(config.basicAuthUsers.keys.sorted() == ["prometheus"])
    }

    @Test(arguments: [
        ("tls_server_config:\n  cert_file: a\n", 2, 3, "missing key_file"),
        ("tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: Always\n", 4, 21, "invalid client_auth_type"),
        ("tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: RequireAndVerifyClientCert\n", 2, 3, "needs client_ca_file"),
        ("tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS14\n", 4, 16, "invalid min_version"),
        ("tls_server_config:\n  certfile: a\n", 2, 3, "unknown key \"certfile\""),
        ("basic_auth_users:\n  alice: hunter2\n", 2, 10, "must be a bcrypt hash"),
        ("tls_config:\n  cert_file: a\n", 1, 1, "unknown key \"tls_config\""),
        ("basic_auth_users:\n  alice: x\n    bob: y\n", 3, 5, "unexpected indentation"),
        ("basic_auth_users:\n\talice: x\n", 2, 1, "tabs"),
        ("basic_auth_users:\n  alice: \"unterminated\n", 2, 10, "unterminated"),
        ("basic_auth_users: [a, b]\n", 1, 19, "must be a mapping"),
    ] as [(String, Int, Int, String)])
    func rejectsBadFilesWithPosition(text: String, line: Int, column: Int, message: String) {
        do {
            _ = try WebConfig.parse(text, file: "web.yml")
            Issue.record("expected an error")
        } catch {
            #expect(error.position?.line == line, "\(error)")
            #expect(error.position?.column == column, "\(error)")
            #expect(error.message.contains(message), "\(error)")
            #expect(error.description.hasPrefix("web.yml:\(line):\(column): "))
        }
    }

    @Test func yamlSubsetHandlesListsOfMappingsAndQuotes() throws {
        var parser = YAMLSubsetParser("""
            items:
              - name: a # comment
                value: "x # not a comment"
              - 'plain'
            empty:
            """)
        guard case .mapping(let entries, _) = try parser.parse() else {
            Issue.record("not a mapping")
            return
        }
        #expect(entries.map(\.key) == ["items", "empty"])
        guard case .sequence(let items, _) = entries[0].value, case .mapping(let first, _) = items[0],
            case .scalar(let value, _, _) = first[1].value, case .scalar(let plain, _, _) = items[1]
        else {
            Issue.record("unexpected shape")
            return
        }
        #expect(value == "x # not a comment")
        #expect(plain == "plain")
        guard case .null = entries[1].value else {
            Issue.record("empty is not null")
            return
        }
    }

    @Test func basicCredentialsAreDecodedAndCheckedAgainstAnIndependentBcrypt() {
        // Hash made by libxcrypt (Python's crypt module), not by the library under test.
        let authenticator = BasicAuthenticator(users: [
            "prometheus": "$2b$05$biDrNdKI2mAVEC706ZMg/OWSN6t6oS4vNjNpdP.ptf0/1n8KsWUzm"
        ])
        #expect(authenticator.verify(user: "prometheus", password: "s3cret pass"))
        #expect(authenticator.verify(user: "prometheus", password: "s3cret pass"))  // cached
        #expect(!authenticator.verify(user: "prometheus", password: "wrong"))
        #expect(!authenticator.verify(user: "nobody", password: "s3cret pass"))
        let decoded = BasicAuthenticator.decodeBasic("Basic cHJvbWV0aGV1czpzM2NyZXQgcGFzcw==")
        #expect(decoded?.user == "prometheus")
        #expect(decoded?.password == "s3cret pass")
        #expect(BasicAuthenticator.decodeBasic("Bearer abc") == nil)
    }
}
