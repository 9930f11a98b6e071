import Foundation

/// A CA, a server certificate for localhost/127.0.0.1, a client certificate, and a second, unrelated CA.
public struct TestPKI: Sendable {
    public let directory: String

    public init() throws {
        guard TestPaths.tool("openssl") != nil else {
            throw MissingPrerequisite("openssl is not installed; run scripts/test, which installs it")
        }
        directory = try TestPaths.temporaryDirectory("pki")
        let script = """
            set -e
            cd '\(directory)'
            cat > server.ext <<'X'
            subjectAltName = DNS:localhost, IP:127.0.0.1
            X
            openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=vitals-test-ca -keyout ca.key -out ca.crt
            openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=other-ca -keyout other.key -out other.crt
            openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout server.key -out server.csr
            openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext -out server.crt
            openssl req -newkey rsa:2048 -nodes -subj /CN=prometheus -keyout client.key -out client.csr
            openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -out client.crt
            openssl req -newkey rsa:2048 -nodes -subj /CN=intruder -keyout rogue.key -out rogue.csr
            openssl x509 -req -in rogue.csr -CA other.crt -CAkey other.key -CAcreateserial -days 2 -out rogue.crt
            cat > client-san.ext <<'X'
            subjectAltName = DNS:prometheus.example, IP:10.1.2.3
            X
            openssl req -newkey rsa:2048 -nodes -subj /CN=scraper -keyout client-san.key -out client-san.csr
            openssl x509 -req -in client-san.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile client-san.ext -out client-san.crt
            """
        let result = try runCommand("/bin/sh", ["-c", script])
        guard result.status == 0 else { throw MissingPrerequisite("openssl failed: \(result.output)") }
    }

    public func path(_ name: String) -> String { directory + "/" + name }

    /// curl's arguments to trust the test CA and present the client certificate `name`.
    public func clientArguments(_ name: String) -> [String] {
        ["--cacert", path("ca.crt"), "--cert", path(name + ".crt"), "--key", path(name + ".key")]
    }

    public func writeConfig(_ text: String, name: String = "web.yml") throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }
}
