import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing
import VitalsKubernetes
import VitalsStack
import VitalsTestSupport
import VitalsTestTraits

/// The ready pods behind a Service, followed through its EndpointSlices against the stand-in API
/// server: updates, a watch that breaks, an expired version, RBAC refusing, and a slow server.
@Suite(.blockingWork) struct EndpointSliceDiscoveryTests {
    static let backend = KubernetesService(name: "backend", namespace: "chat", port: 8000)

    /// What one watcher reported.
    final class Reports: Sendable {
        let updates = Mutex<[[Endpoint]]>([])
        let failures = Mutex<[KubernetesAPIError]>([])

        var latest: [Endpoint]? { updates.withLock { $0.last } }
        var failed: [KubernetesAPIError] { failures.withLock { $0 } }
    }

    static func watch(_ api: StandInAPIServer, timing: ServiceEndpointsWatcher.Timing? = nil) throws -> (
        Reports, Task<Void, Never>
    ) {
        let client = try KubernetesAPIClient(
            configuration: api.configuration, group: MultiThreadedEventLoopGroup.singleton)
        var watcher = ServiceEndpointsWatcher(client: client, service: backend)
        var fast = ServiceEndpointsWatcher.Timing()
        fast.firstRetry = .milliseconds(100)
        fast.maximumRetry = .milliseconds(500)
        // Generous: the stand-in is a Python server doing a TLS handshake per request, and the
        // whole suite runs beside it on two cores. The slow-server test sets its own.
        fast.request = .seconds(10)
        watcher.timing = timing ?? fast
        let reports = Reports()
        let task = Task {
            await watcher.run(
                update: { endpoints in reports.updates.withLock { $0.append(endpoints) } },
                failed: { error in reports.failures.withLock { $0.append(error) } })
        }
        return (reports, task)
    }

    static func pods(_ port: Int, _ addresses: String...) -> [Endpoint] {
        addresses.map { Endpoint(host: $0, port: port) }
    }

    @Test func podsBecomeReadyAndUnreadyThroughEndpointSliceUpdates() async throws {
        let api = try StandInAPIServer(podPort: 18080)
        let (reports, task) = try Self.watch(api)
        defer { task.cancel() }
        // The fixture: two ready pods and one starting; the Service's port 8000 is the pods' "http".
        #expect(await eventually(within: 30) { reports.latest == Self.pods(18080, "127.0.0.2", "127.0.0.3") })
        try api.apply("MODIFIED", try api.slice(ready: ["127.0.0.2"], unready: ["127.0.0.3", "127.0.0.4"]))
        #expect(await eventually(within: 30) { reports.latest == Self.pods(18080, "127.0.0.2") })
        try api.apply("ADDED", try api.slice(name: "backend-q9z8w", ready: ["127.0.0.5"]))
        #expect(await eventually(within: 30) { reports.latest == Self.pods(18080, "127.0.0.2", "127.0.0.5") })
        try api.apply("MODIFIED", try api.slice(ready: [], unready: ["127.0.0.2"]))
        try api.apply("DELETED", try api.slice(name: "backend-q9z8w", ready: ["127.0.0.5"]))
        #expect(await eventually(within: 30) { reports.latest == [] })
        // Nothing went wrong beyond what a loaded machine can cause (a request outlasting its time).
        #expect(
            !reports.failed.contains { if case .timedOut = $0 { false } else { true } }, "\(reports.failed)")
        // Each change was one list and then watch events: no list after the first.
        let lists = try api.requests().filter { $0.contains("/endpointslices?") && !$0.contains("watch=1") }
        #expect(lists.count == 1 || reports.failed.contains { if case .timedOut = $0 { true } else { false } })
    }

    @Test func aBrokenWatchResumesFromTheLastVersionAndAnExpiredOneListsAgain() async throws {
        let api = try StandInAPIServer(podPort: 18081)
        let (reports, task) = try Self.watch(api)
        defer { task.cancel() }
        #expect(await eventually(within: 30) { reports.latest == Self.pods(18081, "127.0.0.2", "127.0.0.3") })
        try api.apply("MODIFIED", try api.slice(ready: ["127.0.0.3"]))
        #expect(await eventually(within: 30) { reports.latest == Self.pods(18081, "127.0.0.3") })
        let watchesBefore = try api.requests().filter { $0.contains("watch=1") }.count
        // The connection drops mid-watch, with no end of stream.
        try api.control("break")
        #expect(
            await eventually(within: 30) {
                (try? api.requests().filter { $0.contains("watch=1") }.count) ?? 0 > watchesBefore
            })
        let resumed = try #require(try api.requests().last { $0.contains("watch=1") })
        let modifiedVersion = try #require(resumed.split(separator: "resourceVersion=").last.flatMap { Int($0) })
        // It resumed from the version of the last event it saw, not from the list's.
        let listVersion = 102  // the stand-in numbers the fixture's two documents 101 and 102
        #expect(modifiedVersion > listVersion, "\(resumed)")
        try api.apply("ADDED", try api.slice(name: "backend-q9z8w", ready: ["127.0.0.6"]))
        #expect(await eventually(within: 30) { reports.latest == Self.pods(18081, "127.0.0.3", "127.0.0.6") })
        // Compaction: the version it holds is gone; the API says 410 and it lists again.
        func lists() -> Int {
            ((try? api.requests()) ?? []).filter { $0.contains("/endpointslices?") && !$0.contains("watch=1") }.count
        }
        let listsBefore = lists()
        try api.control("expire")
        try api.control("break")
        #expect(await eventually(within: 30) { lists() > listsBefore })
        try api.apply("MODIFIED", try api.slice(ready: ["127.0.0.2", "127.0.0.3"]))
        #expect(
            await eventually(within: 30) {
                reports.latest == Self.pods(18081, "127.0.0.2", "127.0.0.3", "127.0.0.6")
            })
        #expect(!reports.failed.contains(.gone), "410 is handled by listing, not reported as a failure")
    }

    @Test func rbacDeniedIsAClearErrorAndDiscoveryStartsOnceItIsGranted() async throws {
        let api = try StandInAPIServer(podPort: 18082)
        try api.control("mode", ["forbid": true])
        let (reports, task) = try Self.watch(api)
        defer { task.cancel() }
        func isForbidden(_ error: KubernetesAPIError) -> Bool { if case .forbidden = error { true } else { false } }
        #expect(await eventually(within: 30) { reports.failed.contains(where: isForbidden) }, "\(reports.failed)")
        let failure = try #require(reports.failed.first(where: isForbidden))
        #expect(failure.description.contains("403"))
        #expect(failure.description.contains("cannot list resource") || failure.description.contains("forbidden"))
        #expect(failure.description.contains("Role and RoleBinding"))
        #expect(reports.latest == nil, "nothing is published while refused")
        try api.control("mode", ["forbid": false])
        #expect(await eventually(within: 30) { reports.latest == Self.pods(18082, "127.0.0.2", "127.0.0.3") })
    }

    @Test func aSlowAPIServerTimesOutAndIsRetriedWithoutLosingTheKnownPods() async throws {
        let api = try StandInAPIServer(podPort: 18083)
        var timing = ServiceEndpointsWatcher.Timing()
        timing.firstRetry = .milliseconds(100)
        timing.maximumRetry = .milliseconds(500)
        timing.request = .seconds(3)
        let (reports, task) = try Self.watch(api, timing: timing)
        defer { task.cancel() }
        #expect(await eventually(within: 30) { reports.latest == Self.pods(18083, "127.0.0.2", "127.0.0.3") })
        // Every answer now takes 10 s; requests may take 3.
        try api.control("mode", ["delay": 10])
        try api.control("expire")
        try api.control("break")
        #expect(
            await eventually(within: 40) {
                reports.failed.contains { if case .timedOut = $0 { true } else { false } }
            }, "\(reports.failed)")
        #expect(reports.latest == Self.pods(18083, "127.0.0.2", "127.0.0.3"), "the last known pods are kept")
        try api.control("mode", ["delay": 0])
        try api.apply("MODIFIED", try api.slice(ready: ["127.0.0.2"]))
        #expect(await eventually(within: 40) { reports.latest == Self.pods(18083, "127.0.0.2") })
    }

    @Test func anUnreadableOrOversizedWatchEventIsReportedAndTheWatcherListsAgain() async throws {
        let api = try StandInAPIServer(podPort: 18085)
        let (reports, task) = try Self.watch(api)
        defer { task.cancel() }
        #expect(await eventually(within: 30) { reports.latest == Self.pods(18085, "127.0.0.2", "127.0.0.3") })
        func lists() -> Int {
            ((try? api.requests()) ?? []).filter { $0.contains("/endpointslices?") && !$0.contains("watch=1") }.count
        }
        func isMalformed(_ error: KubernetesAPIError) -> Bool { if case .malformed = error { true } else { false } }
        func isTooLarge(_ error: KubernetesAPIError) -> Bool { if case .tooLarge = error { true } else { false } }
        let cases: [([String: Any], (KubernetesAPIError) -> Bool)] = [
            (["raw": "{\"type\": \"MODIFIED\", \"object\": {\"metadata\": \n"], isMalformed),
            (["oversized": KubernetesAPIClient.maxAnswerBytes + 1], isTooLarge),
        ]
        for (injected, expected) in cases {
            let listsBefore = lists()
            try api.control("inject", injected.merging(["namespace": "chat", "service": "backend"]) { $1 })
            #expect(await eventually(within: 30) { reports.failed.contains(where: expected) }, "\(reports.failed)")
            // Resuming would be sent the same event again: it lists afresh, past it.
            #expect(await eventually(within: 30) { lists() > listsBefore })
            #expect(reports.latest == Self.pods(18085, "127.0.0.2", "127.0.0.3"), "the known pods are kept")
        }
        try api.apply("MODIFIED", try api.slice(ready: ["127.0.0.3"]))
        #expect(await eventually(within: 30) { reports.latest == Self.pods(18085, "127.0.0.3") })
    }

    @Test func aWrongTokenOrCAIsRefused() async throws {
        let api = try StandInAPIServer(podPort: 18084)
        var configuration = api.configuration
        try "wrong\n".write(toFile: api.tokenFile + ".wrong", atomically: true, encoding: .utf8)
        configuration.tokenFile = api.tokenFile + ".wrong"
        let client = try KubernetesAPIClient(configuration: configuration, group: MultiThreadedEventLoopGroup.singleton)
        let answer = try await client.get("/api/v1/namespaces/chat/services/backend", timeout: .seconds(5))
        #expect(answer.status == 401)
        // A server whose certificate the configured CA did not sign is not spoken to.
        configuration = api.configuration
        configuration.caFile = api.pki.path("other.crt")
        let untrusting = try KubernetesAPIClient(
            configuration: configuration, group: MultiThreadedEventLoopGroup.singleton)
        await #expect(throws: KubernetesAPIError.self) {
            _ = try await untrusting.get("/api/v1/namespaces/chat/services/backend", timeout: .seconds(5))
        }
    }
}
