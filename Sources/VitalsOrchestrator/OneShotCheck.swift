import NIOCore
import VitalsDocuments
import VitalsProbe
import VitalsStack

/// `vitals check`: every probe of every replica once, concurrently.
public enum OneShotCheck {
    /// One probe's result, as reported by `check`.
    public struct ProbeReport: Sendable, Hashable {
        public var probe: String
        public var success: Bool
        public var statusCode: Int?
        public var durationSeconds: Double
        public var error: String?
        /// What the engine said, for container probes.
        public var container: ContainerObservation?
    }

    public struct EndpointReport: Sendable, Hashable {
        public var address: String
        public var probes: [ProbeReport]
    }

    public struct ServiceReport: Sendable, Hashable {
        public var name: String
        public var ready: Bool
        public var live: Bool
        public var blockedBy: String?
        public var endpoints: [EndpointReport]
    }

    /// The `--output json` document: a stable shape, documented in docs/orchestrator.md.
    public struct Report: Sendable, Hashable {
        public var stack: String
        public var ready: Bool
        public var services: [ServiceReport]

        /// Every key is always present (null when empty), so scripts can rely on the shape.
        public var json: JSONNode {
            func optional<T>(_ value: T?, _ wrap: (T) -> JSONNode) -> JSONNode { value.map(wrap) ?? .null }
            return [
                "stack": .string(stack),
                "ready": .boolean(ready),
                "services": .array(
                    services.map { service in
                        [
                            "name": .string(service.name), "ready": .boolean(service.ready),
                            "live": .boolean(service.live),
                            "blockedBy": optional(service.blockedBy, JSONNode.string),
                            "endpoints": .array(
                                service.endpoints.map { endpoint in
                                    [
                                        "address": .string(endpoint.address),
                                        "probes": .array(
                                            endpoint.probes.map { probe in
                                                [
                                                    "probe": .string(probe.probe), "success": .boolean(probe.success),
                                                    "statusCode": optional(probe.statusCode, JSONNode.integer),
                                                    "durationSeconds": .number(probe.durationSeconds),
                                                    "error": optional(probe.error, JSONNode.string),
                                                    "container": optional(probe.container, \.json),
                                                ]
                                            }),
                                    ]
                                }),
                        ]
                    }),
            ]
        }
    }

    public static func run(stack: Stack, selection: [String], prober: Prober) async -> Report {
        let services = selection.isEmpty ? stack.services : stack.services.filter { selection.contains($0.name) }
        var jobs: [(service: String, endpoint: Endpoint, probe: ProbeSpec)] = []
        for service in services {
            for (replica, endpoint) in service.endpoints.enumerated() {
                for probe in service.probes.sorted(by: { $0.kind < $1.kind }) {
                    jobs.append((service.name, endpoint, probe.forReplica(replica, stackName: stack.name)))
                }
            }
        }
        let results = await withTaskGroup(of: (Int, ProbeResult).self) { group in
            for (index, job) in jobs.enumerated() {
                group.addTask {
                    (
                        index,
                        await prober.run(
                            job.probe.handler, endpoint: job.endpoint, timeoutSeconds: job.probe.timing.timeoutSeconds)
                    )
                }
            }
            var results = [ProbeResult?](repeating: nil, count: jobs.count)
            for await (index, result) in group { results[index] = result }
            return results
        }
        // One result per probe, judged as if each threshold were met at once.
        var states: [StateKey: ProbeState] = [:]
        for (index, job) in jobs.enumerated() {
            var timing = job.probe.timing
            timing.successThreshold = 1
            timing.failureThreshold = 1
            var state = ProbeState(kind: job.probe.kind, timing: timing)
            if let result = results[index] { state.record(result) }
            states[StateKey(service: job.service, endpoint: job.endpoint, probe: job.probe.kind)] = state
        }
        let status = StackStatus.evaluate(stack: stack, services: services, states: states)
        var reports: [ServiceReport] = []
        for service in services {
            let serviceStatus = status.service(service.name)!
            var endpoints: [EndpointReport] = []
            for endpoint in service.endpoints {
                var probes: [ProbeReport] = []
                for (index, job) in jobs.enumerated() where job.service == service.name && job.endpoint == endpoint {
                    let result = results[index] ?? .failure("not run")
                    probes.append(
                        ProbeReport(
                            probe: job.probe.kind.rawValue, success: result.outcome == .success,
                            statusCode: result.statusCode,
                            durationSeconds: (result.durationSeconds * 10000).rounded() / 10000,
                            error: result.outcome == .success ? nil : result.message, container: result.container))
                }
                endpoints.append(EndpointReport(address: endpoint.description, probes: probes))
            }
            reports.append(
                ServiceReport(
                    name: service.name, ready: serviceStatus.ready, live: serviceStatus.live,
                    blockedBy: selection.isEmpty ? serviceStatus.blockedBy : nil, endpoints: endpoints))
        }
        return Report(stack: stack.name, ready: reports.allSatisfy(\.ready), services: reports)
    }
}

extension ContainerObservation {
    /// The `container` member of a probe in `check --output json` and the status API.
    public var json: JSONNode {
        [
            "id": .string(id), "name": .string(name), "state": .string(state),
            "health": health.map(JSONNode.string) ?? .null, "exitCode": .integer(exitCode),
            "oomKilled": .boolean(oomKilled), "restartCount": .integer(restartCount),
            "lastHealthOutput": lastHealthOutput.map(JSONNode.string) ?? .null,
        ]
    }
}
