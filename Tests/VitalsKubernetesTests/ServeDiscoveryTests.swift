import Foundation
import Testing
import VitalsTestSupport
import VitalsTestTraits

/// `vitals serve` on a stack that names a Kubernetes Service: it probes each ready pod (real HTTP
/// servers on 127.0.0.2–4, standing for pod IPs) that the stand-in API server's EndpointSlices
/// list, and follows them as they become ready and unready.
@Suite(.blockingWork) struct ServeDiscoveryTests {
    static func sample(_ metrics: String, _ name: String, _ labels: [String]) -> Double? {
        for line in metrics.split(separator: "\n") where line.hasPrefix(name + "{") {
            if labels.allSatisfy({ line.contains($0) }), let value = line.split(separator: " ").last {
                return Double(value)
            }
        }
        return nil
    }

    @Test func serveProbesEveryReadyPodBehindTheService() async throws {
        let pods = try await HealthTargetServer(addresses: ["127.0.0.2", "127.0.0.3", "127.0.0.4"])
        defer { Task { await pods.close() } }
        let api = try StandInAPIServer(podPort: pods.port)
        let directory = try TestPaths.temporaryDirectory("serve-discovery")
        let stackFile = directory + "/chat.yaml"
        try """
        name: chat
        services:
          backend:
            kind: http
            endpoints: ["backend.chat.svc:8000"]
            probes: {readiness: {httpGet: {path: /health/ready}, periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 1}}
        """.write(toFile: stackFile, atomically: true, encoding: .utf8)
        let port = freePort()
        let serve = try ManagedProcess(
            TestPaths.product("vitals"),
            [
                "serve", stackFile, "--web.listen-address", "127.0.0.1:\(port)",
                "--kubernetes.api-server", "https://127.0.0.1:\(api.port)",
                "--kubernetes.ca-file", api.pki.path("ca.crt"), "--kubernetes.token-file", api.tokenFile,
            ])
        defer { serve.stop() }
        func metrics() -> String { (try? httpGet(port: port, path: "/metrics").bodyText) ?? "" }
        func instance(_ address: String) -> String { "instance=\"\(address):\(pods.port)\"" }
        let backend = "service=\"backend\""

        // The fixture's two ready pods are probed; the starting one is not.
        #expect(
            await eventually(within: 30) {
                let text = metrics()
                return Self.sample(text, "vitals_service_ready_replicas", [backend]) == 2
                    && Self.sample(text, "probe_success", [instance("127.0.0.2")]) == 1
                    && Self.sample(text, "probe_success", [instance("127.0.0.3")]) == 1
            }, "\(serve.outputText)\n\(metrics())")
        #expect(Self.sample(metrics(), "probe_success", [instance("127.0.0.4")]) == nil)
        #expect(serve.output(contains: "discovering pods"))

        // The third pod becomes ready; the second one goes away.
        try api.apply("MODIFIED", try api.slice(ready: ["127.0.0.2", "127.0.0.4"], unready: ["127.0.0.3"]))
        #expect(
            await eventually(within: 30) {
                let text = metrics()
                return Self.sample(text, "probe_success", [instance("127.0.0.4")]) == 1
                    && Self.sample(text, "probe_success", [instance("127.0.0.3")]) == nil
                    && Self.sample(text, "vitals_service_ready_replicas", [backend]) == 2
            }, "\(metrics())")

        // A ready pod whose own readiness fails is caught by the probe, as the kubelet would.
        pods.set("/health/ready", status: 503)
        #expect(
            await eventually(within: 30) { Self.sample(metrics(), "vitals_service_ready", [backend]) == 0 },
            "\(metrics())")
        pods.set("/health/ready", status: 200)
        #expect(await eventually(within: 30) { Self.sample(metrics(), "vitals_service_ready", [backend]) == 1 })

        // No ready pod at all: the Service's own address is probed, and fails as a client's call would.
        try api.apply("MODIFIED", try api.slice(ready: [], unready: ["127.0.0.2", "127.0.0.3", "127.0.0.4"]))
        #expect(
            await eventually(within: 30) {
                let text = metrics()
                return Self.sample(text, "vitals_service_ready", [backend]) == 0
                    && Self.sample(text, "vitals_probe_state", ["instance=\"backend.chat.svc:8000\""]) == 0
            }, "\(metrics())")
    }
}
