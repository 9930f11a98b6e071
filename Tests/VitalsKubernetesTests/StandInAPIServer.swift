import Foundation
import VitalsKubernetes
import VitalsTestSupport

/// Tests/Fixtures/kubernetes/apiserver.py, running: the tests' stand-in for the Kubernetes API
/// server (the only fake these tests use: no cluster can run here), over HTTPS with a test CA and
/// a bearer token, serving the Service and EndpointSlice documents under
/// Tests/Fixtures/kubernetes/api with the pods' port set to `podPort`.
final class StandInAPIServer: Sendable {
    static let fixtures = TestPaths.packageRoot + "/Tests/Fixtures/kubernetes"
    let port: Int
    let pki: TestPKI
    let tokenFile: String
    let process: ManagedProcess
    let podPort: Int

    init(podPort: Int) throws {
        guard let python = TestPaths.tool("python3") else { throw MissingPrerequisite("python3 is not installed") }
        pki = try TestPKI()
        self.podPort = podPort
        let directory = try TestPaths.temporaryDirectory("apiserver")
        // The recorded-shape documents, with the pods' port made the test servers'.
        for file in try FileManager.default.contentsOfDirectory(atPath: Self.fixtures + "/api") {
            let text = try String(contentsOfFile: Self.fixtures + "/api/" + file, encoding: .utf8)
            try text.replacingOccurrences(of: "\"port\": 8080", with: "\"port\": \(podPort)")
                .write(toFile: directory + "/" + file, atomically: true, encoding: .utf8)
        }
        tokenFile = directory + "/token"
        try "vitals-test-token\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        var started: ManagedProcess?
        var port = 0
        for _ in 0..<5 {
            port = freePort()
            let process = try ManagedProcess(
                python,
                [
                    Self.fixtures + "/apiserver.py", String(port), pki.path("server.crt"), pki.path("server.key"),
                    "vitals-test-token", directory,
                ])
            if process.output(contains: "listening", within: 10) {
                started = process
                break
            }
            process.stop()
        }
        guard let started else { throw MissingPrerequisite("the stand-in API server did not start") }
        self.port = port
        self.process = started
    }

    deinit { process.stop() }

    var configuration: KubernetesAPIClient.Configuration {
        KubernetesAPIClient.Configuration(
            host: "127.0.0.1", port: port, useTLS: true, caFile: pki.path("ca.crt"), tokenFile: tokenFile)
    }

    /// POSTs to one of the stand-in's /control/ endpoints.
    func control(_ path: String, _ body: [String: Any] = [:]) throws {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
        let result = try runCommand(
            "/usr/bin/curl",
            [
                "-sS", "--fail", "--max-time", "10", "--cacert", pki.path("ca.crt"), "-X", "POST", "-d", json,
                "https://127.0.0.1:\(port)/control/\(path)",
            ])
        guard result.status == 0 else { throw MissingPrerequisite("control \(path) failed: \(result.output)") }
    }

    /// Every API request the stand-in received, as path and query.
    func requests() throws -> [String] {
        let result = try runCommand(
            "/usr/bin/curl",
            ["-sS", "--max-time", "10", "--cacert", pki.path("ca.crt"), "https://127.0.0.1:\(port)/control/log"])
        return try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String] ?? []
    }

    /// The fixture's EndpointSlice, with `ready` and `unready` pod addresses, under `name`.
    func slice(name: String = "backend-7xk2p", ready: [String], unready: [String] = []) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/api/endpointslices-backend.json"))
        let list = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        var slice = (list["items"] as! [[String: Any]])[0]
        var metadata = slice["metadata"] as! [String: Any]
        metadata["name"] = name
        slice["metadata"] = metadata
        let template = (slice["endpoints"] as! [[String: Any]])[0]
        func endpoint(_ address: String, ready: Bool) -> [String: Any] {
            var endpoint = template
            endpoint["addresses"] = [address]
            endpoint["conditions"] = ["ready": ready, "serving": ready, "terminating": false]
            return endpoint
        }
        slice["endpoints"] = ready.map { endpoint($0, ready: true) } + unready.map { endpoint($0, ready: false) }
        slice["ports"] = [["name": "http", "protocol": "TCP", "port": podPort]]
        return slice
    }

    func apply(_ type: String, _ slice: [String: Any]) throws {
        try control("apply", ["type": type, "object": slice])
    }
}
