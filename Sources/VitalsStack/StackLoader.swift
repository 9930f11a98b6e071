import VitalsDuration
import VitalsProcFS
import Yams

/// Reads and validates stack files.
///
/// Every problem is reported with its file, line and column and what was expected, and all of
/// them at once, so that one run of `vitals validate` lists everything to fix.
public enum StackLoader {
    /// Reads a stack file from disk.
    public static func load(path: String) throws(StackFileErrors) -> Stack {
        let text: String
        do {
            text = try FileAccess.readString(path)
        } catch {
            throw StackFileErrors([StackFileError(file: path, line: 0, column: 0, message: "cannot read the stack file: \(error.reason)")])
        }
        return try parse(text, file: path)
    }

    /// Parses and validates the text of a stack file.
    public static func parse(_ text: String, file: String) throws(StackFileErrors) -> Stack {
        if let violation = YAMLInputLimits().violation(in: text) {
            throw StackFileErrors([
                StackFileError(file: file, line: violation.line, column: violation.column, message: violation.message)
            ])
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw StackFileErrors([yamlError(error, file: file, text: text)])
        } catch {
            throw StackFileErrors([StackFileError(file: file, line: 1, column: 1, message: "\(error)")])
        }
        var reader = NodeReader(file: file)
        guard let root else {
            throw StackFileErrors([StackFileError(file: file, line: 1, column: 1, message: "the file is empty; expected a mapping with name and services")])
        }
        let stack = reader.readStack(root)
        if let stack, reader.errors.isEmpty { reader.checkGraph(stack) }
        guard reader.errors.isEmpty, let stack else {
            throw StackFileErrors(reader.errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        return stack
    }

    static func yamlError(_ error: YamlError, file: String, text: String) -> StackFileError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text): " } ?? ""
            return StackFileError(file: file, line: mark.line, column: mark.column, message: "invalid YAML: \(prefix)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams points at the mapping; point at the second occurrence of the key instead.
            var position = (context.mark.line, context.mark.column)
            if let key = duplicates.first {
                var seen = 0
                for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                where index + 1 >= context.mark.line {
                    let indent = line.prefix { $0 == " " }.count
                    let rest = line.dropFirst(indent)
                    if rest.hasPrefix(key + ":") || rest.hasPrefix("\"\(key)\":") {
                        seen += 1
                        if seen == 2 {
                            position = (index + 1, indent + 1)
                            break
                        }
                    }
                }
            }
            return StackFileError(
                file: file, line: position.0, column: position.1,
                message: "duplicate key \(duplicates.map { "\"\($0)\"" }.joined(separator: ", ")): each service name and each key may appear only once")
        default:
            return StackFileError(file: file, line: 1, column: 1, message: "invalid YAML: \(error)")
        }
    }
}

/// Walks the YAML tree, building the model and collecting errors.
struct NodeReader {
    let file: String
    var errors: [StackFileError] = []

    init(file: String) {
        self.file = file
    }

    mutating func fail(_ node: Node, _ message: String) {
        let mark = node.mark
        errors.append(StackFileError(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, message: message))
    }

    /// A mapping's entries, with unknown keys and duplicate keys reported.
    mutating func mapping(_ node: Node, _ what: String, allowed: [String]) -> [(key: String, keyNode: Node, value: Node)]? {
        guard let mapping = node.mapping else {
            fail(node, "\(what) must be a mapping (key: value), found \(describe(node))")
            return nil
        }
        var entries: [(String, Node, Node)] = []
        var seen: Set<String> = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                fail(keyNode, "keys in \(what) must be strings")
                continue
            }
            guard allowed.isEmpty || allowed.contains(key) else {
                fail(keyNode, "unknown key \"\(key)\" in \(what); expected one of: \(allowed.joined(separator: ", "))")
                continue
            }
            guard seen.insert(key).inserted else {
                fail(keyNode, "duplicate key \"\(key)\" in \(what)")
                continue
            }
            entries.append((key, keyNode, value))
        }
        return entries
    }

    mutating func string(_ node: Node, _ what: String) -> String? {
        guard let scalar = node.scalar else {
            fail(node, "\(what) must be a string, found \(describe(node))")
            return nil
        }
        return scalar.string
    }

    mutating func integer(_ node: Node, _ what: String, minimum: Int, maximum: Int = Int.max) -> Int? {
        guard let scalar = node.scalar, scalar.style == .plain, let value = Int(scalar.string) else {
            fail(node, "\(what) must be a whole number, found \(describe(node))")
            return nil
        }
        guard value >= minimum, value <= maximum else {
            let range = maximum == Int.max ? "at least \(minimum)" : "from \(minimum) to \(maximum)"
            fail(node, "\(what) must be \(range), found \(value)")
            return nil
        }
        return value
    }

    mutating func bool(_ node: Node, _ what: String) -> Bool? {
        guard let scalar = node.scalar, scalar.style == .plain, ["true", "false"].contains(scalar.string) else {
            fail(node, "\(what) must be true or false, found \(describe(node))")
            return nil
        }
        return scalar.string == "true"
    }

    mutating func list(_ node: Node, _ what: String) -> [Node]? {
        guard let sequence = node.sequence else {
            fail(node, "\(what) must be a list, found \(describe(node))")
            return nil
        }
        return Array(sequence)
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

    /// A Prometheus interval: a Go duration of whole seconds (`15s`, `1m`, `1m30s`), or bare seconds.
    mutating func duration(_ node: Node, _ what: String) -> Int? {
        guard let text = string(node, what) else { return nil }
        let range = Duration.seconds(1)...Duration.seconds(86_400)
        if let seconds = Int(text) {
            guard range.contains(.seconds(seconds)) else {
                fail(node, "\(what) must be from 1s to 24h, found \(seconds) seconds")
                return nil
            }
            return seconds
        }
        do {
            let duration = try GoDuration.parse(text, in: range)
            if duration.components.attoseconds == 0 { return Int(duration.components.seconds) }
        } catch {
            fail(node, "\(what): \(error)")
            return nil
        }
        fail(node, "\(what) must be a duration of whole seconds such as 15s, 1m or 1m30s, found \"\(text)\"")
        return nil
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): scalar.string.isEmpty ? "an empty value" : "\"\(scalar.string)\""
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    // MARK: The stack

    static let stackKeys = ["name", "defaults", "nodes", "services", "alerting"]
    static let defaultsKeys = [
        "initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold",
        "scrapeInterval", "evaluationInterval",
    ]
    static let serviceKeys = ["kind", "endpoints", "dependsOn", "metrics", "probes", "alerts", "llm", "celery"]
    static let probeKeys = [
        "httpGet", "tcpSocket", "exec", "initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold",
        "failureThreshold",
    ]

    mutating func readStack(_ root: Node) -> Stack? {
        guard let entries = mapping(root, "the stack file", allowed: Self.stackKeys) else { return nil }
        var name: String?
        var defaults = StackDefaults()
        var nodes: [Endpoint] = []
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
                    fail(value, "name must be lower-case letters, digits, - and _, starting with a letter; found \"\(text)\"")
                }
            case "defaults": continue
            case "nodes": nodes = endpoints(value, "nodes") ?? []
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
        return Stack(name: name, defaults: defaults, nodes: nodes, services: services, alerting: alerting, file: file)
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
            timing.initialDelaySeconds = integer(value, "\(context).initialDelaySeconds", minimum: 0, maximum: 86_400) ?? timing.initialDelaySeconds
        case "periodSeconds":
            timing.periodSeconds = integer(value, "\(context).periodSeconds", minimum: 1, maximum: 86_400) ?? timing.periodSeconds
        case "timeoutSeconds":
            timing.timeoutSeconds = integer(value, "\(context).timeoutSeconds", minimum: 1, maximum: 3600) ?? timing.timeoutSeconds
        case "successThreshold":
            timing.successThreshold = integer(value, "\(context).successThreshold", minimum: 1, maximum: 1000) ?? timing.successThreshold
        case "failureThreshold":
            timing.failureThreshold = integer(value, "\(context).failureThreshold", minimum: 1, maximum: 1000) ?? timing.failureThreshold
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
                fail(keyNode, "service name must be lower-case letters, digits, - and _, starting with a letter; found \"\(name)\"")
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
                        fail(value, "unknown kind \"\(text)\" for \(context); expected one of: \(ServiceKind.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                }
            case "endpoints": endpoints = self.endpoints(value, "\(context) endpoints") ?? []
            case "dependsOn":
                if let mark = entries.first(where: { $0.key == "dependsOn" })?.keyNode.mark {
                    dependsOnMarks[name] = (mark.line, mark.column)
                }
                for item in list(value, "\(context) dependsOn") ?? [] {
                    if let dependency = string(item, "\(context) dependsOn") { dependsOn.append(dependency) }
                }
            case "metrics": metrics = readMetrics(value, context: context)
            case "probes": declared = readProbes(value, context: context, defaults: defaults)
            case "alerts": thresholds = readThresholds(value, context: context, kind: entries.first { $0.key == "kind" }?.value)
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
            fail(node, "\(context) is missing \"kind\"; expected one of: \(ServiceKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let kind else { return nil }
        if endpoints.isEmpty, kind != .celery, entries.contains(where: { $0.key == "endpoints" }) == false {
            fail(node, "\(context) has no endpoints; list its replicas as host:port")
        }
        let probes = declared.flatMap { $0.isEmpty ? nil : $0 } ?? (endpoints.isEmpty ? [] : kind.defaultProbes(timing: defaults))
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
        let keys = ["cost", "tokens", "tokenTypeLabel", "requests", "cacheHits", "errors", "modelLabel", "providerLabel"]
        guard let entries = mapping(node, "\(context) llm", allowed: keys) else { return nil }
        var metrics = LLMMetrics()
        for (key, _, value) in entries {
            guard let name = string(value, "\(context) llm.\(key)") else { continue }
            guard Self.isPrometheusName(name) else {
                fail(value, "\(context) llm.\(key) must be a Prometheus name ([a-zA-Z_][a-zA-Z0-9_]*), found \"\(name)\"")
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
                let queues = (list(value, "\(context) celery.queues") ?? []).compactMap { string($0, "\(context) celery.queues") }
                if queues.isEmpty { fail(value, "\(context) celery.queues must name at least one queue") } else { settings.queues = queues }
            case "broker": settings.broker = string(value, "\(context) celery.broker")
            default: break
            }
        }
        return settings
    }

    static func isPrometheusName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else {
            return false
        }
        return text.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    mutating func readMetrics(_ node: Node, context: String) -> MetricsEndpoint? {
        guard let entries = mapping(node, "\(context) metrics", allowed: ["path", "targets", "scheme", "exporter", "latencyHistogram"])
        else { return nil }
        var metrics = MetricsEndpoint()
        for (key, _, value) in entries {
            switch key {
            case "path":
                if let path = string(value, "\(context) metrics.path") {
                    if path.hasPrefix("/") { metrics.path = path } else { fail(value, "metrics.path must start with /, found \"\(path)\"") }
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
                    fail(value, "metrics.exporter must be one of \(MetricsExporter.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(text)\"")
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

    mutating func readProbes(_ node: Node, context: String, defaults: ProbeTiming) -> [ProbeSpec] {
        guard let entries = mapping(node, "\(context) probes", allowed: ProbeKind.allCases.map(\.rawValue)) else { return [] }
        var probes: [ProbeSpec] = []
        for (key, _, value) in entries {
            guard let kind = ProbeKind(rawValue: key) else { continue }
            if let probe = readProbe(kind, value, context: "\(context) \(key) probe", defaults: defaults) {
                probes.append(probe)
            }
        }
        return probes
    }

    mutating func readProbe(_ kind: ProbeKind, _ node: Node, context: String, defaults: ProbeTiming) -> ProbeSpec? {
        guard let entries = mapping(node, context, allowed: Self.probeKeys) else { return nil }
        var timing = defaults
        var handler: ProbeHandler?
        var handlerCount = 0
        for (key, keyNode, value) in entries {
            switch key {
            case "httpGet":
                handlerCount += 1
                handler = readHTTPGet(value, context: context).map(ProbeHandler.httpGet)
            case "tcpSocket":
                handlerCount += 1
                guard let fields = mapping(value, "\(context) tcpSocket", allowed: ["port"]) else { continue }
                let port = fields.first.flatMap { integer($0.value, "\(context) tcpSocket.port", minimum: 1, maximum: 65535) }
                handler = .tcpSocket(port: port)
            case "exec":
                handlerCount += 1
                guard let fields = mapping(value, "\(context) exec", allowed: ["command"]) else { continue }
                guard let commandNode = fields.first(where: { $0.key == "command" })?.value else {
                    fail(value, "\(context) exec needs command, a list such as [pg_isready, -h, db]")
                    continue
                }
                let command = (list(commandNode, "\(context) exec.command") ?? []).compactMap { string($0, "\(context) exec.command") }
                if command.isEmpty { fail(commandNode, "\(context) exec.command must not be empty") } else { handler = .exec(command: command) }
            default:
                readTiming(key, value, into: &timing, context: context)
                if key == "successThreshold", kind != .readiness, timing.successThreshold != 1 {
                    fail(value, "\(context): successThreshold must be 1 for \(kind.rawValue) probes, found \(timing.successThreshold)")
                    timing.successThreshold = 1
                }
                _ = keyNode
            }
        }
        if handlerCount == 0 {
            fail(node, "\(context) needs one of httpGet, tcpSocket or exec")
            return nil
        }
        if handlerCount > 1 {
            fail(node, "\(context) must have exactly one of httpGet, tcpSocket or exec")
            return nil
        }
        guard let handler else { return nil }
        return ProbeSpec(kind: kind, handler: handler, timing: timing)
    }

    mutating func readHTTPGet(_ node: Node, context: String) -> HTTPGetAction? {
        guard let entries = mapping(node, "\(context) httpGet", allowed: ["path", "port", "host", "scheme", "httpHeaders", "tlsVerify"])
        else { return nil }
        var action = HTTPGetAction(path: "/")
        for (key, _, value) in entries {
            switch key {
            case "path":
                if let path = string(value, "\(context) httpGet.path") {
                    if path.hasPrefix("/") { action.path = path } else { fail(value, "httpGet.path must start with /, found \"\(path)\"") }
                }
            case "port": action.port = integer(value, "\(context) httpGet.port", minimum: 1, maximum: 65535)
            case "host": action.host = string(value, "\(context) httpGet.host")
            case "scheme":
                if let text = string(value, "\(context) httpGet.scheme") {
                    if let scheme = HTTPGetAction.Scheme(rawValue: text.uppercased()) { action.scheme = scheme } else {
                        fail(value, "httpGet.scheme must be HTTP or HTTPS, found \"\(text)\"")
                    }
                }
            case "tlsVerify": action.verifyTLS = bool(value, "\(context) httpGet.tlsVerify") ?? false
            case "httpHeaders":
                for item in list(value, "\(context) httpGet.httpHeaders") ?? [] {
                    guard let fields = mapping(item, "\(context) httpHeaders entry", allowed: ["name", "value"]) else { continue }
                    let name = fields.first { $0.key == "name" }.flatMap { string($0.value, "header name") }
                    let headerValue = fields.first { $0.key == "value" }.flatMap { string($0.value, "header value") }
                    guard let name, let headerValue else {
                        fail(item, "each httpHeaders entry needs name and value")
                        continue
                    }
                    action.headers.append(.init(name: name, value: headerValue))
                }
            default: break
            }
        }
        return action
    }

    // MARK: Dependencies

    /// Unknown dependencies and cycles, reported at the `dependsOn` lines.
    mutating func checkGraph(_ stack: Stack) {
        let names = Set(stack.services.map(\.name))
        for service in stack.services {
            for dependency in service.dependsOn where !names.contains(dependency) {
                failAtService(service.name, "service \"\(service.name)\" depends on \"\(dependency)\", which is not a service of this stack")
            }
            if service.dependsOn.contains(service.name) {
                failAtService(service.name, "service \"\(service.name)\" depends on itself")
            }
        }
        guard errors.isEmpty else { return }
        // Depth-first search for a cycle, reported once with its path.
        var state: [String: Int] = [:]  // 1 = visiting, 2 = done
        var path: [String] = []
        func visit(_ name: String) -> [String]? {
            if state[name] == 2 { return nil }
            if state[name] == 1 {
                let start = path.firstIndex(of: name)!
                return Array(path[start...]) + [name]
            }
            state[name] = 1
            path.append(name)
            for dependency in stack.service(named: name)?.dependsOn ?? [] {
                if let cycle = visit(dependency) { return cycle }
            }
            path.removeLast()
            state[name] = 2
            return nil
        }
        for service in stack.services {
            if let cycle = visit(service.name) {
                failAtService(cycle[0], "dependency cycle: \(cycle.joined(separator: " -> "))")
                return
            }
        }
    }

    /// Reports at the service's `dependsOn` key (found again in the source by a fresh parse of marks).
    mutating func failAtService(_ name: String, _ message: String) {
        errors.append(StackFileError(file: file, line: dependsOnMarks[name]?.line ?? 0, column: dependsOnMarks[name]?.column ?? 0, message: message))
    }

    var dependsOnMarks: [String: (line: Int, column: Int)] = [:]
}
