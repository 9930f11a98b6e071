import VitalsStack

/// Turns a compose project into a stack file: services and replicas, endpoints, dependencies,
/// probes from healthchecks, kinds, and exporters paired with what they export. Pure: the same
/// project always gives the same text.
public struct ComposeImport: Sendable {
    /// Where `vitals` runs: on the host (endpoints are the published ports) or inside the compose
    /// network (endpoints are the services' names and container ports).
    public enum Network: String, Sendable, CaseIterable {
        case host, compose
    }

    public var network: Network
    /// The command that regenerates the file, for its header.
    public var command: String

    public init(network: Network = .host, command: String) {
        self.network = network
        self.command = command
    }

    public func stack(from project: ComposeProject) -> ImportedStack {
        var notes = project.notes
        var roles: [String: (role: ComposeRole, reason: String)] = [:]
        var watched: [ComposeService] = []
        for service in project.services {
            if !service.profiles.isEmpty {
                notes.append(
                    note(service, "left out: it starts only with --profile \(service.profiles.joined(separator: "/"))"))
                continue
            }
            var guess = ComposeRole.guess(service)
            if let label = service.labels["vitals.kind"] {
                if let kind = ServiceKind(rawValue: label) {
                    guess = (.service(kind), "label vitals.kind")
                } else {
                    notes.append(
                        note(
                            service,
                            "label vitals.kind=\(label) is not a kind; expected one of \(ServiceKind.allCases.map(\.rawValue).joined(separator: ", "))"
                        ))
                }
            }
            roles[service.name] = guess
            if case .service = guess.role { watched.append(service) }
            if let mode = service.networkMode {
                notes.append(
                    note(service, "network_mode \(mode): its endpoints assume the default network; check them"))
            }
        }

        var exportersByService: [String: [(ComposeService, ComposeRole)]] = [:]
        var hosts: [String] = []
        var hostReasons: [String] = []
        for service in project.services where service.profiles.isEmpty {
            guard let (role, reason) = roles[service.name] else { continue }
            switch role {
            case .hostExporter:
                let port = service.ports.first?.target ?? 9100
                for address in addresses(of: service, port: port, project: project.name, notes: &notes)
                where !hosts.contains(address) {
                    hosts.append(address)
                }
                hostReasons.append("\(service.name): \(reason)")
            case .exporter(let kind, _, let defaultPort):
                guard let target = pairedService(for: service, kind: kind, among: watched, roles: roles) else {
                    notes.append(
                        note(
                            service,
                            "\(reason), but no one \(kind.rawValue) service to pair it with; its metrics are not scraped"
                        ))
                    continue
                }
                _ = defaultPort
                exportersByService[target.name, default: []].append((service, role))
            case .service:
                continue
            }
        }

        // A one-shot job (what another service waits on with service_completed_successfully) exits
        // by design, so it is not watched; neither are dependencies on it.
        let jobs = Set(
            project.services.flatMap { service in
                service.dependsOn.filter { $0.condition == "service_completed_successfully" }.map(\.service)
            })
        watched = watched.filter { service in
            guard jobs.contains(service.name) else { return true }
            notes.append(
                note(service, "left out: a one-shot job (depends_on … service_completed_successfully waits for it)"))
            roles[service.name] = nil
            return false
        }
        // Stack names are unique: two compose names that read the same once lower-cased (Web.App,
        // web-app) get -2, -3, … in file order.
        var names: [String: String] = [:]
        var taken: Set<String> = []
        for service in watched {
            var candidate = stackName(service.name)
            var suffix = 2
            while taken.contains(candidate) {
                candidate = stackName(service.name) + "-\(suffix)"
                suffix += 1
            }
            if candidate != stackName(service.name) {
                notes.append(
                    note(service, "named \(candidate) in the stack file: \(stackName(service.name)) was taken"))
            }
            taken.insert(candidate)
            names[service.name] = candidate
        }
        var services: [ImportedStack.Service] = []
        for service in watched {
            guard case .service(let kind) = roles[service.name]?.role else { continue }
            services.append(
                imported(
                    service, kind: kind, reason: roles[service.name]?.reason ?? "", project: project,
                    exporters: exportersByService[service.name] ?? [], roles: roles, names: names, notes: &notes))
        }
        let hostsLine =
            hosts.isEmpty
            ? nil
            : ImportedStack.Line(
                comments: ["Host exporters: " + hostReasons.joined(separator: "; ")],
                text: "nodes: " + StackText.list(hosts))
        return ImportedStack(
            header: [
                "Imported from compose by `vitals import compose` (--network \(network.rawValue)). Every guess is",
                "explained in a comment; review it and commit the file. Regenerate with:",
                "  \(command)",
            ],
            name: StackText.scalar(stackName(project.name)), hosts: hostsLine, services: services, notes: notes)
    }

    // MARK: One service

    private func imported(
        _ service: ComposeService, kind: ServiceKind, reason: String, project: ComposeProject,
        exporters: [(ComposeService, ComposeRole)], roles: [String: (role: ComposeRole, reason: String)],
        names: [String: String], notes: inout [ComposeNote]
    ) -> ImportedStack.Service {
        var lines: [ImportedStack.Line] = []
        lines.append(.init(comments: ["\(reason) → \(kind.rawValue)"], text: "kind: \(kind.rawValue)"))

        let url = service.healthcheck.flatMap(HealthcheckURL.init)
        let port = url?.port ?? service.ports.first?.target ?? service.expose.first ?? kind.usualPort
        var scratch: [ComposeNote] = []
        let reachable = port.map { addresses(of: service, port: $0, project: project.name, notes: &scratch) } ?? []
        let replicas = service.replicas == 1 ? "1 replica" : "\(service.replicas) replicas"
        let throughEngine = reachable.isEmpty
        if let port, !throughEngine {
            notes += scratch
            let how =
                network == .host
                ? "container port \(port) as published on the host"
                : "container port \(port) inside the compose network"
            lines.append(.init(comments: ["\(replicas), \(how)"], text: "endpoints: " + StackText.list(reachable)))
        } else {
            let why =
                port == nil
                ? "no port" : network == .host ? "no published port" : "no port vitals can reach"
            lines.append(
                .init(
                    comments: [
                        "\(replicas) with \(why): the container engine reports on \(service.replicas == 1 ? "it" : "them")"
                    ],
                    text: "replicas: \(max(1, service.replicas))"))
        }
        var dependencies: [String] = []
        var dependencyComments: [String] = []
        for (name, condition) in service.dependsOn {
            guard case .service = roles[name]?.role else {
                if roles[name] == nil {
                    notes.append(
                        note(
                            service,
                            "depends_on \(name): \(name) is not in the stack file, so the dependency is left out"))
                }
                continue
            }
            switch condition {
            case "service_completed_successfully":
                notes.append(
                    note(
                        service,
                        "depends_on \(name): service_completed_successfully waits for a one-shot job; Vitals watches running services, so it is left out"
                    ))
                continue
            case "service_started":
                dependencyComments.append("\(name): compose waits for it to start; Vitals waits for it to be ready")
            default:
                dependencyComments.append("\(name): service_healthy, as Vitals waits for readiness")
            }
            if let stackName = names[name], !dependencies.contains(stackName) { dependencies.append(stackName) }
        }
        if !dependencies.isEmpty {
            lines.append(
                .init(
                    comments: dependencyComments.map { "depends_on \($0)" },
                    text: "dependsOn: " + StackText.list(dependencies)))
        }

        if let metrics = metricsLine(service, kind: kind, exporters: exporters, project: project, notes: &notes) {
            lines.append(metrics)
        }
        lines += probeLines(
            service, kind: kind, url: url, port: port, throughEngine: throughEngine, project: project, notes: &notes)

        var comments: [String] = []
        let name = names[service.name] ?? stackName(service.name)
        if service.name != name { comments.append("compose service \"\(service.name)\"") }
        return ImportedStack.Service(name: name, comments: comments, lines: lines)
    }

    /// Where Vitals reaches each replica of `service` on a container port.
    private func addresses(of service: ComposeService, port: Int, project: String, notes: inout [ComposeNote])
        -> [String]
    {
        switch network {
        case .compose:
            guard service.replicas > 1 else { return ["\(service.name):\(port)"] }
            // Compose v2 names replicas project-service-N (docker-compose 1.x: project_service_N).
            return (1...service.replicas).map { "\(project)-\(service.name)-\($0):\(port)" }
        case .host:
            guard let mapping = service.ports.first(where: { $0.target == port && !$0.published.isEmpty }) else {
                notes.append(
                    note(
                        service,
                        "container port \(port) is not published, so a vitals on the host cannot reach it; publish it, or import with --network compose"
                    ))
                return []
            }
            let host = mapping.hostIP.map { ["0.0.0.0", "::", ""].contains($0) ? "127.0.0.1" : $0 } ?? "127.0.0.1"
            let hostPart = host.contains(":") ? "[\(host)]" : host
            if mapping.published.count < service.replicas {
                notes.append(
                    note(
                        service,
                        "\(service.replicas) replicas but \(mapping.published.count) published port(s) for \(port); only those are probed"
                    ))
            }
            return mapping.published.prefix(max(1, service.replicas)).map { "\(hostPart):\($0)" }
        }
    }

    private func metricsLine(
        _ service: ComposeService, kind: ServiceKind, exporters: [(ComposeService, ComposeRole)],
        project: ComposeProject,
        notes: inout [ComposeNote]
    ) -> ImportedStack.Line? {
        if !exporters.isEmpty {
            var targets: [String] = []
            var flower = false
            var names: [String] = []
            for (exporter, role) in exporters {
                guard case .exporter(_, let isFlower, let defaultPort) = role else { continue }
                flower = flower || isFlower
                names.append(exporter.name)
                let found = addresses(
                    of: exporter, port: exporter.ports.first?.target ?? defaultPort, project: project.name,
                    notes: &notes)
                for target in found where !targets.contains(target) { targets.append(target) }
            }
            guard !targets.isEmpty else { return nil }
            let exporterKey = flower ? "exporter: flower, " : ""
            return .init(
                comments: ["metrics from " + names.joined(separator: ", ") + (flower ? " (Flower)" : "")],
                text: "metrics: {\(exporterKey)targets: \(StackText.list(targets))}")
        }
        let labels = service.labels
        /// A label's path, with the leading `/` the stack file needs.
        func path(_ label: String) -> String? {
            guard let value = labels[label], !value.isEmpty else { return nil }
            return value.hasPrefix("/") ? value : "/" + value
        }
        if let path = path("vitals.metrics.path") {
            return .init(comments: ["label vitals.metrics.path"], text: "metrics: {path: \(StackText.scalar(path))}")
        }
        if labels["prometheus.io/scrape"] == "true" {
            let path = path("prometheus.io/path") ?? "/metrics"
            if let portText = labels["prometheus.io/port"], let port = Int(portText), (1...65535).contains(port) {
                let targets = addresses(of: service, port: port, project: project.name, notes: &notes)
                guard !targets.isEmpty else { return nil }
                return .init(
                    comments: [
                        "labels prometheus.io/scrape, prometheus.io/port\(labels["prometheus.io/path"] == nil ? "" : ", prometheus.io/path")"
                    ],
                    text: "metrics: {path: \(StackText.scalar(path)), targets: \(StackText.list(targets))}")
            }
            return .init(comments: ["label prometheus.io/scrape"], text: "metrics: {path: \(StackText.scalar(path))}")
        }
        switch kind {
        case .fastapi:
            return .init(
                comments: ["/metrics, prometheus-fastapi-instrumentator's default"], text: "metrics: {path: /metrics}")
        case .prometheus, .alertmanager, .grafana, .vitals:
            return .init(comments: ["\(kind.rawValue) serves its own /metrics"], text: "metrics: {path: /metrics}")
        case .redis, .postgres, .celery:
            notes.append(
                note(
                    service,
                    "no \(kind == .celery ? "Flower or celery-exporter" : "\(kind.rawValue) exporter") in the compose files, so its metrics and alerts are left out"
                ))
            return nil
        case .http, .tcp:
            return nil
        }
    }

    /// The healthcheck as probes, with compose's timing: a readiness probe, and a startup probe
    /// when there is a start period. A healthcheck vitals cannot run itself (a command, or a URL it
    /// cannot reach) is read from the engine instead: the container's own verdict.
    private func probeLines(
        _ service: ComposeService, kind: ServiceKind, url: HealthcheckURL?, port: Int?, throughEngine: Bool,
        project: ComposeProject, notes: inout [ComposeNote]
    ) -> [ImportedStack.Line] {
        guard let check = service.healthcheck, !throughEngine else {
            // Without a healthcheck, a service vitals reaches gets its kind's own probes.
            guard throughEngine else { return [] }
            return [.init(comments: [], text: "probes:"), containerProbe(service, project: project)]
        }
        guard let url else {
            return [.init(comments: [], text: "probes:"), containerProbe(service, project: project)]
        }
        var action = "path: \(StackText.scalar(url.path))"
        if url.scheme == "https" { action += ", scheme: HTTPS" }
        if let port, url.effectivePort != port { action += ", port: \(url.effectivePort)" }
        let period = Self.seconds(check.intervalSeconds)
        let timeout = min(Self.seconds(check.timeoutSeconds), 3600)
        var lines: [ImportedStack.Line] = []
        let timing =
            "periodSeconds: \(period), timeoutSeconds: \(timeout), failureThreshold: \(min(check.retries, 1000))"
        var comments = [
            "healthcheck \"\(check.text)\" asks \(url.scheme)://…\(url.path): every \(Self.text(check.intervalSeconds)), timeout \(Self.text(check.timeoutSeconds)), unhealthy after \(check.retries) failures"
        ]
        if check.startPeriodSeconds > 0 {
            let interval = max(1, Self.seconds(check.startIntervalSeconds))
            let attempts = Int((check.startPeriodSeconds / Double(interval)).rounded(.up)) + check.retries
            lines.append(
                .init(
                    comments: [
                        "start_period \(Self.text(check.startPeriodSeconds)) at start_interval \(Self.text(check.startIntervalSeconds)): failures do not count until it is over"
                    ],
                    text:
                        "startup: {httpGet: {\(action)}, periodSeconds: \(interval), timeoutSeconds: \(timeout), failureThreshold: \(min(attempts, 1000))}"
                ))
        }
        comments.append("compose's health is readiness: an unhealthy container is not restarted")
        lines.append(.init(comments: comments, text: "readiness: {httpGet: {\(action)}, \(timing)}"))
        return [.init(comments: [], text: "probes:")]
            + lines.map { .init(comments: $0.comments, text: $0.text, indent: 1) }
    }

    /// A readiness probe that reads the container's state and its healthcheck's verdict from the
    /// engine. The engine already counts the healthcheck's retries, so one verdict decides.
    private func containerProbe(_ service: ComposeService, project: ComposeProject) -> ImportedStack.Line {
        var selector = "service: \(StackText.scalar(service.name))"
        if stackName(project.name) != project.name { selector += ", project: \(StackText.scalar(project.name))" }
        let budget = "timeoutSeconds: \(Self.engineTimeoutSeconds)"
        guard let check = service.healthcheck else {
            return .init(
                comments: [
                    "no healthcheck: ready while its container runs, as compose's service_started",
                    Self.engineTimeoutNote,
                ],
                text: "readiness: {container: {\(selector)}, \(budget), failureThreshold: 1}", indent: 1)
        }
        return .init(
            comments: [
                "healthcheck \"\(check.text)\" runs in the container; the engine's verdict is read every \(Self.text(check.intervalSeconds)) (unhealthy after \(check.retries) failures, as compose counts them)",
                Self.engineTimeoutNote,
            ],
            text:
                "readiness: {container: {\(selector)}, periodSeconds: \(Self.seconds(check.intervalSeconds)), \(budget), failureThreshold: 1}",
            indent: 1)
    }

    /// The time a container probe gives the engine to answer. The probe times the engine, not the
    /// container (compose's own `timeout` is the engine's business), and a busy engine listing its
    /// containers takes more than the kubelet's default second.
    static let engineTimeoutSeconds = 5
    static let engineTimeoutNote =
        "the engine gets \(engineTimeoutSeconds)s to answer: a busy engine can take more than a second"

    // MARK: Helpers

    /// Whole seconds for a probe field, rounded up, at least 1.
    static func seconds(_ value: Double) -> Int { max(1, min(86_400, Int(value.rounded(.up)))) }

    static func text(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(Int((seconds * 1000).rounded()))ms"
    }

    /// A stack name: lower-case letters, digits, `-` and `_`, starting with a letter.
    func stackName(_ name: String) -> String {
        var result = String(name.lowercased().map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
        if !(result.first?.isLetter ?? false) { result = "s-" + result }
        return result
    }

    private func note(_ service: ComposeService, _ message: String) -> ComposeNote {
        ComposeNote(file: "", line: 0, column: 0, message: "\(service.name): \(message)")
    }

    /// The service an exporter exports: named in its environment or command (REDIS_ADDR,
    /// DATA_SOURCE_NAME, --redis.addr, a broker URL), else the only service of its kind.
    private func pairedService(
        for exporter: ComposeService, kind: ServiceKind, among services: [ComposeService],
        roles: [String: (role: ComposeRole, reason: String)]
    ) -> ComposeService? {
        let candidates = services.filter { roles[$0.name]?.role == .service(kind) }
        let haystack = ([exporter.command] + exporter.environment.values.sorted()).joined(separator: " ").lowercased()
        if kind != .celery {
            let named = candidates.filter { candidate in
                let name = candidate.name.lowercased()
                return haystack.contains("//\(name):") || haystack.contains("@\(name):")
                    || haystack.contains("//\(name)/")
                    || haystack.contains("@\(name)/") || haystack.contains("=\(name):")
                    || haystack.contains("host=\(name)")
            }
            if named.count == 1 { return named[0] }
        }
        return candidates.count == 1 ? candidates[0] : nil
    }
}
