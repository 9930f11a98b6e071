import Foundation
import HummingbirdBcrypt
import Testing
import VitalsSystem
import VitalsTestSupport

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

    @Test(
        arguments: [
            ("tls_server_config:\n  cert_file: a\n", 2, 3, "missing key_file"),
            (
                "tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: Always\n", 4, 21,
                "invalid client_auth_type"
            ),
            (
                "tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: RequireAndVerifyClientCert\n",
                2, 3, "needs client_ca_file"
            ),
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
            #expect(error.line == line, "\(error)")
            #expect(error.column == column, "\(error)")
            #expect(error.message.contains(message), "\(error)")
            #expect(error.description.hasPrefix("web.yml:\(line):\(column): "))
        }
    }

    @Test func yamlSubsetHandlesListsOfMappingsAndQuotes() throws {
        var parser = YAMLSubsetParser(
            """
            items:
              - name: a # comment
                value: "x # not a comment"
              - 'plain'
            empty:
            """, file: "t.yml")
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

    @Test func basicCredentialsAreDecodedAndCheckedAgainstAnIndependentBcrypt() async {
        // Hash made by libxcrypt (Python's crypt module), not by the library under test.
        let authenticator = BasicAuthenticator(users: [
            "prometheus": "$2b$05$biDrNdKI2mAVEC706ZMg/OWSN6t6oS4vNjNpdP.ptf0/1n8KsWUzm"
        ])
        #expect(await authenticator.check(user: "prometheus", password: "s3cret pass") == .allowed)
        #expect(await authenticator.check(user: "prometheus", password: "s3cret pass") == .allowed)  // cached
        #expect(await authenticator.check(user: "prometheus", password: "wrong") == .denied)
        #expect(await authenticator.check(user: "nobody", password: "s3cret pass") == .denied)
        let decoded = BasicAuthenticator.decodeBasic("Basic cHJvbWV0aGV1czpzM2NyZXQgcGFzcw==")
        #expect(decoded?.user == "prometheus")
        #expect(decoded?.password == "s3cret pass")
        #expect(BasicAuthenticator.decodeBasic("Bearer abc") == nil)
    }

    /// exporter-toolkit's documentation says to make hashes with `htpasswd -nBC 10`, which writes
    /// `$2y$`; Python's bcrypt writes `$2b$` or `$2a$`. All three must let the right password in.
    @Test(arguments: ["htpasswd", "python-2b", "python-2a"])
    func hashesFromTheUsualToolsAreAccepted(tool: String) async throws {
        let password = "s3cret pass"
        let hash: String
        switch tool {
        case "htpasswd":
            let htpasswd = try #require(TestPaths.tool("htpasswd"), "apache2-utils is not installed; run scripts/test")
            let result = try runCommand(htpasswd, ["-nbBC", "10", "prometheus", password])
            hash = String(result.output.split(separator: "\n")[0].split(separator: ":", maxSplits: 1)[1])
            #expect(hash.hasPrefix("$2y$10$"))
        default:
            let prefix = tool == "python-2a" ? "2a" : "2b"
            let result = try runCommand(
                "/usr/bin/python3",
                [
                    "-c",
                    "import bcrypt; print(bcrypt.hashpw(b'\(password)', bcrypt.gensalt(10, prefix=b'\(prefix)')).decode())",
                ])
            hash = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(hash.hasPrefix("$\(prefix)$10$"), "\(result.output)")
        }
        let config = try WebConfig.parse("basic_auth_users:\n  prometheus: '\(hash)'\n", file: "web.yml")
        let authenticator = BasicAuthenticator(users: config.basicAuthUsers)
        #expect(await authenticator.check(user: "prometheus", password: password) == .allowed)
        #expect(await authenticator.check(user: "prometheus", password: "wrong") == .denied)
    }

    @Test(arguments: [
        ("$2b$31$" + String(repeating: "a", count: 53), "has bcrypt cost 31; this server accepts 4 to 16"),
        ("$2b$03$" + String(repeating: "a", count: 53), "has bcrypt cost 3; this server accepts 4 to 16"),
        ("s3cret", "must be a bcrypt hash"),
        ("$2x$10$" + String(repeating: "a", count: 53), "must be a bcrypt hash"),
        ("$2b$1x$" + String(repeating: "a", count: 53), "unreadable bcrypt cost"),
    ])
    func unusableHashesAreRejectedWithTheirPosition(hash: String, message: String) {
        let error = #expect(throws: WebConfigError.self) {
            try WebConfig.parse("basic_auth_users:\n  prometheus: '\(hash)'\n", file: "web.yml")
        }
        #expect(
            error?.description.hasPrefix("web.yml:2:15: the password of \"prometheus\" ") == true,
            "\(String(describing: error))")
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }

    /// A flood of uncached wrong credentials fills the bcrypt queue and is turned away with `busy`,
    /// while credentials seen before are still answered from the cache.
    @Test func aFloodOfWrongPasswordsIsTurnedAwayAndCachedCredentialsStillPass() async {
        let password = "s3cret pass"
        // Cost 10: each uncached check holds a worker for tens of milliseconds, far longer than it
        // takes to queue the whole flood.
        let hash = Bcrypt.hash(password, cost: 10)
        let authenticator = BasicAuthenticator(users: ["prometheus": hash], maxWaiting: 4)
        #expect(await authenticator.check(user: "prometheus", password: password) == .allowed)
        let outcomes = await withTaskGroup(of: BasicAuthenticator.Outcome.self) { group in
            for index in 0..<200 {
                group.addTask { await authenticator.check(user: "intruder", password: "guess-\(index)") }
            }
            // Added while the flood is queued: answered from the cache, not behind the flood.
            group.addTask { await authenticator.check(user: "prometheus", password: password) }
            var outcomes: [BasicAuthenticator.Outcome] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        #expect(outcomes.filter { $0 == .allowed }.count == 1)
        // A worker per two cores and 4 waiting at a time; a few more get in as checks finish.
        #expect(outcomes.filter { $0 == .busy }.count >= 150)
        #expect(outcomes.filter { $0 == .denied }.count >= 1)
    }
}
