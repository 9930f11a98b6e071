import VitalsDuration
import VitalsStack
import Yams

/// The stack, its defaults and its services.
extension YAMLTreeReader {
    static let stackKeys = ["name", "defaults", "nodes", "services", "alerting"]
    static let defaultsKeys = [
        "initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold",
        "scrapeInterval", "evaluationInterval",
    ]
    static let serviceKeys = [
        "kind", "endpoints", "replicas", "dependsOn", "metrics", "probes", "alerts", "llm", "celery",
    ]
    static let probeKeys = [
        "httpGet", "tcpSocket", "exec", "container", "initialDelaySeconds", "periodSeconds", "timeoutSeconds",
        "successThreshold",
        "failureThreshold",
    ]

    mutating func readStack(_ root: Node) -> Stack? {
        guard let entries = mapping(root, "the stack file", allowed: Self.stackKeys) else { return nil }
        var name: String?
        var defaults = StackDefaults()
        var hosts: [Endpoint] = []
        var services: [Service] = []
        var servicesSeen = false
        var alerting = Alerting()
        // Defaults apply to every probe, wherever the key stands in the file.
        if let defaultsNode = entries.first(where: { $0.key == "defaults" })?.value {
            defaults = readDefaults(defaultsNode)
        }
        for (key, _, value) in entries {
            switch key {
            case "name":
                name = string(value, "name")
                if let text = name, !Self.isName(text) {
                    fail(
                        value,
                        "name must be lower-case letters, digits, - and _, starting with a letter; found \"\(text)\"")
                }
            case "defaults": continue
            case "nodes": hosts = endpoints(value, "nodes") ?? []
            case "services":
                servicesSeen = true
                services = readServices(value, defaults: defaults.probe)
            case "alerting": alerting = readAlerting(value)
            default: break
            }
        }
        if name == nil { fail(root, "missing key \"name\": every stack needs a name") }
        if !servicesSeen { fail(root, "missing key \"services\": expected a mapping of service names to services") }
        guard let name else { return nil }
        return Stack(name: name, defaults: defaults, hosts: hosts, services: services, alerting: alerting, file: file)
    }

    static func isName(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter, first.isASCII, first.isLowercase else { return false }
        return text.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" || $0 == "_" }
    }

    mutating func readDefaults(_ node: Node) -> StackDefaults {
        var defaults = StackDefaults()
        guard let entries = mapping(node, "defaults", allowed: Self.defaultsKeys) else { return defaults }
        for (key, _, value) in entries {
            switch key {
            case "scrapeInterval": defaults.scrapeIntervalSeconds = duration(value, "defaults.scrapeInterval") ?? 15
            case "evaluationInterval":
                defaults.evaluationIntervalSeconds = duration(value, "defaults.evaluationInterval") ?? 15
            default: readTiming(key, value, into: &defaults.probe, context: "defaults")
            }
        }
        return defaults
    }

    mutating func readTiming(_ key: String, _ value: Node, into timing: inout ProbeTiming, context: String) {
        switch key {
        case "initialDelaySeconds":
            timing.initialDelaySeconds =
                integer(value, "\(context).initialDelaySeconds", minimum: 0, maximum: 86_400)
                ?? timing.initialDelaySeconds
        case "periodSeconds":
            timing.periodSeconds =
                integer(value, "\(context).periodSeconds", minimum: 1, maximum: 86_400) ?? timing.periodSeconds
        case "timeoutSeconds":
            timing.timeoutSeconds =
                integer(value, "\(context).timeoutSeconds", minimum: 1, maximum: 3600) ?? timing.timeoutSeconds
        case "successThreshold":
            timing.successThreshold =
                integer(value, "\(context).successThreshold", minimum: 1, maximum: 1000) ?? timing.successThreshold
        case "failureThreshold":
            timing.failureThreshold =
                integer(value, "\(context).failureThreshold", minimum: 1, maximum: 1000) ?? timing.failureThreshold
        default: break
        }
    }

    mutating func readServices(_ node: Node, defaults: ProbeTiming) -> [Service] {
        guard let entries = mapping(node, "services", allowed: []) else { return [] }
        if entries.isEmpty { fail(node, "services is empty; declare at least one service") }
        var services: [Service] = []
        for (name, keyNode, value) in entries {
            if let mark = keyNode.mark { dependsOnMarks[name] = (mark.line, mark.column) }
            if !Self.isName(name) {
                fail(
                    keyNode,
                    "service name must be lower-case letters, digits, - and _, starting with a letter; found \"\(name)\""
                )
            }
            if let service = readService(name, value, defaults: defaults) { services.append(service) }
        }
        return services
    }

    mutating func readService(_ name: String, _ node: Node, defaults: ProbeTiming) -> Service? {
        let context = "service \"\(name)\""
        guard let entries = mapping(node, context, allowed: Self.serviceKeys) else { return nil }
        var kind: ServiceKind?
        var endpoints: [Endpoint] = []
        var engineReplicas: Int?
        var dependsOn: [String] = []
        var metrics: MetricsEndpoint?
        var declared: [ProbeSpec]?
        var thresholds: [String: Double] = [:]
        var llm: LLMMetrics??
        var celery = CelerySettings()
        let kindText = entries.first { $0.key == "kind" }?.value.scalar?.string
        for (key, _, value) in entries {
            switch key {
            case "kind":
                if let text = string(value, "\(context) kind") {
                    kind = ServiceKind(rawValue: text)
                    if kind == nil {
                        fail(
                            value,
                            "unknown kind \"\(text)\" for \(context); expected one of: \(ServiceKind.allCases.map(\.rawValue).joined(separator: ", "))"
                        )
                    }
                }
            case "endpoints": endpoints = self.endpoints(value, "\(context) endpoints") ?? []
            case "replicas":
                if entries.contains(where: { $0.key == "endpoints" }) {
                    fail(
                        value,
                        "\(context) has both endpoints and replicas; replicas is for containers without an address")
                } else {
                    engineReplicas = integer(value, "\(context) replicas", minimum: 1, maximum: 1000)
                }
            case "dependsOn":
                if let mark = entries.first(where: { $0.key == "dependsOn" })?.keyNode.mark {
                    dependsOnMarks[name] = (mark.line, mark.column)
                }
                for item in list(value, "\(context) dependsOn") ?? [] {
                    if let dependency = string(item, "\(context) dependsOn") { dependsOn.append(dependency) }
                }
            case "metrics": metrics = readMetrics(value, context: context)
            case "probes": declared = readProbes(value, context: context, defaults: defaults)
            case "alerts":
                thresholds = readThresholds(value, context: context, kind: entries.first { $0.key == "kind" }?.value)
            case "llm":
                llm = readLLM(value, context: context)
                if llm != nil, llm! != nil, kindText != ServiceKind.fastapi.rawValue {
                    fail(value, "\(context): llm applies to fastapi services, which report llm_* metrics")
                }
            case "celery":
                guard kindText == ServiceKind.celery.rawValue else {
                    fail(value, "\(context): celery applies to celery services")
                    continue
                }
                celery = readCelery(value, context: context)
            default: break
            }
        }
        if !entries.contains(where: { $0.key == "kind" }) {
            fail(
                node,
                "\(context) is missing \"kind\"; expected one of: \(ServiceKind.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        guard let kind else { return nil }
        let hasReplicasKey = entries.contains { $0.key == "replicas" }
        if endpoints.isEmpty, kind != .celery, !hasReplicasKey,
            entries.contains(where: { $0.key == "endpoints" }) == false
        {
            fail(
                node,
                "\(context) has no endpoints; list its replicas as host:port, or give replicas: N for containers the engine reports on"
            )
        }
        var probes =
            declared.flatMap { $0.isEmpty ? nil : $0 }
            ?? (endpoints.isEmpty ? [] : kind.defaultProbes(timing: defaults))
        if let engineReplicas {
            endpoints = (1...engineReplicas).map { Endpoint.engineReplica("\(name)-\($0)") }
            if probes.isEmpty {
                // The engine already counts the healthcheck's retries: one verdict is enough.
                var timing = defaults
                timing.failureThreshold = 1
                let selector = ContainerSelector(.composeService(project: nil, service: name, number: nil))
                probes = [ProbeSpec(kind: .readiness, handler: .container(selector), timing: timing)]
            }
            for probe in probes {
                if case .container = probe.handler { continue }
                let probeNode = entries.first { $0.key == "probes" }?.value ?? node
                fail(
                    probeNode,
                    "\(context) has replicas without addresses, so its \(probe.kind.rawValue) probe must be a container probe, not \(probe.summary)"
                )
            }
        }
        return Service(
            name: name, kind: kind, endpoints: endpoints, dependsOn: dependsOn, metrics: metrics, probes: probes,
            probesFromKind: declared?.isEmpty ?? true, alertThresholds: thresholds, llm: llm, celery: celery)
    }

    /// `llm: true | false | {cost: NAME, tokens: NAME, ...}`: whether and under which names the
    /// service reports LLM usage.
    mutating func readLLM(_ node: Node, context: String) -> LLMMetrics?? {
        if node.scalar != nil {
            guard let enabled = bool(node, "\(context) llm") else { return nil }
            return .some(enabled ? LLMMetrics() : nil)
        }
        let keys = [
            "cost", "tokens", "tokenTypeLabel", "requests", "cacheHits", "errors", "modelLabel", "providerLabel",
        ]
        guard let entries = mapping(node, "\(context) llm", allowed: keys) else { return nil }
        var metrics = LLMMetrics()
        for (key, _, value) in entries {
            guard let name = string(value, "\(context) llm.\(key)") else { continue }
            guard Self.isPrometheusName(name) else {
                fail(
                    value, "\(context) llm.\(key) must be a Prometheus name ([a-zA-Z_][a-zA-Z0-9_]*), found \"\(name)\""
                )
                continue
            }
            switch key {
            case "cost": metrics.cost = name
            case "tokens": metrics.tokens = name
            case "tokenTypeLabel": metrics.tokenTypeLabel = name
            case "requests": metrics.requests = name
            case "cacheHits": metrics.cacheHits = name
            case "errors": metrics.errors = name
            case "modelLabel": metrics.modelLabel = name
            case "providerLabel": metrics.providerLabel = name
            default: break
            }
        }
        return .some(metrics)
    }

    mutating func readCelery(_ node: Node, context: String) -> CelerySettings {
        var settings = CelerySettings()
        guard let entries = mapping(node, "\(context) celery", allowed: ["queues", "broker"]) else { return settings }
        for (key, _, value) in entries {
            switch key {
            case "queues":
                let queues = (list(value, "\(context) celery.queues") ?? []).compactMap {
                    string($0, "\(context) celery.queues")
                }
                if queues.isEmpty {
                    fail(value, "\(context) celery.queues must name at least one queue")
                } else {
                    settings.queues = queues
                }
            case "broker": settings.broker = string(value, "\(context) celery.broker")
            default: break
            }
        }
        return settings
    }

    static func isPrometheusName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else {
            return false
        }
        return text.unicodeScalars.allSatisfy {
            $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
        }
    }

    mutating func readMetrics(_ node: Node, context: String) -> MetricsEndpoint? {
        guard
            let entries = mapping(
                node, "\(context) metrics", allowed: ["path", "targets", "scheme", "exporter", "latencyHistogram"])
        else { return nil }
        var metrics = MetricsEndpoint()
        for (key, _, value) in entries {
            switch key {
            case "path":
                if let path = string(value, "\(context) metrics.path") {
                    if path.hasPrefix("/") {
                        metrics.path = path
                    } else {
                        fail(value, "metrics.path must start with /, found \"\(path)\"")
                    }
                }
            case "targets": metrics.targets = endpoints(value, "\(context) metrics.targets")
            case "scheme":
                switch string(value, "\(context) metrics.scheme") {
                case "http": metrics.scheme = .http
                case "https": metrics.scheme = .https
                case let other?: fail(value, "metrics.scheme must be http or https, found \"\(other)\"")
                case nil: break
                }
            case "exporter":
                guard let text = string(value, "\(context) metrics.exporter") else { continue }
                guard let exporter = MetricsExporter(rawValue: text) else {
                    fail(
                        value,
                        "metrics.exporter must be one of \(MetricsExporter.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(text)\""
                    )
                    continue
                }
                metrics.exporter = exporter
            case "latencyHistogram":
                guard let name = string(value, "\(context) metrics.latencyHistogram") else { continue }
                guard Self.isPrometheusName(name) else {
                    fail(value, "metrics.latencyHistogram must be a Prometheus metric name, found \"\(name)\"")
                    continue
                }
                metrics.latencyHistogram = name
            default: break
            }
        }
        return metrics
    }

    mutating func endpoint(_ node: Node, _ what: String) -> Endpoint? {
        guard let text = string(node, what) else { return nil }
        switch Endpoint.parse(text) {
        case .success(let endpoint): return endpoint
        case .failure(let error):
            fail(node, "invalid address \"\(text)\" in \(what): \(error.reason)")
            return nil
        }
    }

    mutating func endpoints(_ node: Node, _ what: String) -> [Endpoint]? {
        guard let items = list(node, what) else { return nil }
        var result: [Endpoint] = []
        for item in items {
            guard let endpoint = endpoint(item, what) else { continue }
            if result.contains(endpoint) {
                fail(item, "\(endpoint) appears twice in \(what)")
                continue
            }
            result.append(endpoint)
        }
        return result
    }
}
