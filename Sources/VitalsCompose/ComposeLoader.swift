import VitalsDuration
import VitalsStack
import VitalsStackFile
import VitalsSystem
import Yams

/// Reads compose files as `docker compose -f A -f B` does: later files override earlier ones, the
/// `.env` beside the first file and the environment fill in `${VAR}`s (the environment wins).
public enum ComposeLoader {
    public static func load(
        paths: [String], environment: [String: String], projectName: String? = nil
    ) throws(ComposeError) -> ComposeProject {
        precondition(!paths.isEmpty, "at least one compose file")
        var documents: [(path: String, text: String)] = []
        for path in paths {
            do {
                documents.append((path, try FileAccess.readString(path)))
            } catch {
                throw ComposeError(file: path, message: "cannot read the compose file: \(error.reason)")
            }
        }
        let directory = Self.directory(of: paths[0])
        let dotEnv = (try? FileAccess.readString(joinPath(directory, ".env"))).map(DotEnv.parse) ?? [:]
        return try load(
            documents: documents, dotEnv: dotEnv, environment: environment,
            projectName: projectName, directory: directory)
    }

    /// Reads compose documents already in memory (the fuzz target's way in).
    public static func load(
        documents: [(path: String, text: String)], dotEnv: [String: String], environment: [String: String],
        projectName: String? = nil, directory: String
    ) throws(ComposeError) -> ComposeProject {
        precondition(!documents.isEmpty, "at least one compose document")
        var merged: ComposeTree?
        for (path, text) in documents {
            let tree = try parse(text, file: path)
            merged = merged.map { ComposeTree.merge($0, tree) } ?? tree
        }
        var variables = dotEnv
        variables.merge(environment) { _, shell in shell }
        var unset: [(String, ComposeTree.Position)] = []
        let root = try merged!.interpolated(ComposeInterpolation(environment: variables), unset: &unset)
        var reader = ServiceReader()
        for (name, position) in unset {
            reader.note(position, "variable \(name) is not set; an empty string is used, as compose does")
        }
        guard case .mapping = root else { throw ComposeError(root.position, "a compose file must be a mapping") }
        let name: String
        if let given = projectName ?? root["name"]?.string ?? variables["COMPOSE_PROJECT_NAME"] {
            // Compose's rule for a project name given explicitly.
            guard let first = given.first, first.isASCIILowercaseOrDigit,
                given.allSatisfy({ $0.isASCIILowercaseOrDigit || $0 == "-" || $0 == "_" })
            else {
                throw ComposeError(
                    root["name"]?.position ?? root.position,
                    "project name \"\(given)\" must be lower-case letters, digits, - and _, starting with a letter or digit"
                )
            }
            name = given
        } else {
            name = Self.projectName(fromDirectory: directory)
        }
        guard let servicesTree = root["services"], let entries = servicesTree.entries else {
            throw ComposeError(root.position, "missing \"services:\": expected a mapping of service names to services")
        }
        var services: [ComposeService] = []
        for (serviceName, tree) in entries {
            // Compose's rule for service names, which are also host names on the compose network.
            guard let first = serviceName.first, first.isASCII, first.isLetter || first.isNumber,
                serviceName.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) })
            else {
                throw ComposeError(
                    tree.position,
                    "service name \"\(serviceName)\" must be letters, digits, ., _ and -, starting with a letter or digit"
                )
            }
            if let service = try reader.service(serviceName, tree) { services.append(service) }
        }
        // Compose refuses a dependency cycle (`dependency cycle detected`), and a stack file
        // cannot hold one: say so here, where the depends_on is, not in the written file.
        let graph = DependencyGraph(services.map { ($0.name, $0.dependsOn.map(\.service)) })
        if let cycle = graph.cycle() {
            let dependsOn = servicesTree[cycle[0]]?["depends_on"]
            throw ComposeError(
                dependsOn?.position ?? servicesTree.position,
                "\(cycle[0]).depends_on: dependency cycle: \(cycle.joined(separator: " -> "))")
        }
        return ComposeProject(name: name, services: services, notes: reader.notes)
    }

    static func parse(_ text: String, file: String) throws(ComposeError) -> ComposeTree {
        if let violation = YAMLInputLimits().violation(in: text, file: file) { throw violation }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.yamlError(error, file: file)
        } catch {
            throw ComposeError(file: file, line: 1, column: 1, message: "invalid YAML: \(error)")
        }
        guard let node else { throw ComposeError(file: file, line: 1, column: 1, message: "the file is empty") }
        return ComposeTree.from(node, file: file)
    }

    static func yamlError(_ error: YamlError, file: String) -> ComposeError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text): " } ?? ""
            return ComposeError(
                file: file, line: mark.line, column: mark.column, message: "invalid YAML: \(prefix)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ComposeError(
                file: file, line: context.mark.line, column: context.mark.column,
                message: "duplicate key \(duplicates.map { "\"\($0)\"" }.joined(separator: ", ")) in this mapping")
        default:
            return ComposeError(file: file, line: 1, column: 1, message: "invalid YAML: \(error)")
        }
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Compose's default project name: the directory's name, lower-cased, with only `a-z0-9_-`.
    static func projectName(fromDirectory directory: String) -> String {
        let absolute = directory == "." ? (FileAccess.currentDirectory() ?? "project") : directory
        let last = absolute.split(separator: "/").last.map(String.init) ?? "project"
        let cleaned = last.lowercased().filter { $0.isASCIILowercaseOrDigit || $0 == "_" || $0 == "-" }
            .drop { $0 == "_" || $0 == "-" }
        return cleaned.isEmpty ? "project" : String(cleaned)
    }
}

/// Reads one service's keys, with a positioned error for a value of the wrong shape.
struct ServiceReader {
    var notes: [ComposeNote] = []

    mutating func note(_ position: ComposeTree.Position, _ message: String) {
        notes.append(ComposeNote(file: position.file, line: position.line, column: position.column, message: message))
    }

    mutating func service(_ name: String, _ tree: ComposeTree) throws(ComposeError) -> ComposeService? {
        if case .null = tree { return ComposeService.empty(name) }
        guard tree.entries != nil else { throw ComposeError(tree.position, "service \"\(name)\" must be a mapping") }
        var service = ComposeService.empty(name)
        service.image = tree["image"]?.string
        service.command = [
            try words(tree["entrypoint"], "\(name).entrypoint"), try words(tree["command"], "\(name).command"),
        ]
        .filter { !$0.isEmpty }.joined(separator: " ")
        for port in try list(tree["ports"], "\(name).ports") {
            service.ports.append(try portMapping(port, service: name))
        }
        for item in try list(tree["expose"], "\(name).expose") {
            guard let text = item.string, let first = text.split(separator: "/").first, let port = Int(first),
                (1...65535).contains(port)
            else {
                throw ComposeError(item.position, "\(name).expose: expected a port number")
            }
            service.expose.append(port)
        }
        service.replicas = 1
        if let scale = tree["scale"] { service.replicas = try count(scale, "\(name).scale") }
        if let replicas = tree["deploy"]?["replicas"] {
            service.replicas = try count(replicas, "\(name).deploy.replicas")
        }
        service.dependsOn = try dependsOn(tree["depends_on"], service: name)
        service.healthcheck = try healthcheck(tree["healthcheck"], service: name)
        service.labels = try keyValues(tree["labels"], "\(name).labels")
        service.environment = try keyValues(tree["environment"], "\(name).environment")
        service.profiles = try list(tree["profiles"], "\(name).profiles").compactMap(\.string)
        service.networkMode = tree["network_mode"]?.string
        if let extends = tree["extends"] {
            note(extends.position, "\(name): extends is not followed; only the service's own keys are imported")
        }
        return service
    }

    func list(_ tree: ComposeTree?, _ what: String) throws(ComposeError) -> [ComposeTree] {
        guard let tree else { return [] }
        if case .null = tree { return [] }
        guard let items = tree.items else { throw ComposeError(tree.position, "\(what) must be a list") }
        return items
    }

    /// `command` and `entrypoint`: a string, or a list of words.
    func words(_ tree: ComposeTree?, _ what: String) throws(ComposeError) -> String {
        guard let tree else { return "" }
        if let text = tree.string { return text }
        if case .null = tree { return "" }
        guard let items = tree.items else { throw ComposeError(tree.position, "\(what) must be a string or a list") }
        return items.compactMap(\.string).joined(separator: " ")
    }

    func count(_ tree: ComposeTree, _ what: String) throws(ComposeError) -> Int {
        guard let text = tree.string, let value = Int(text), (0...1000).contains(value) else {
            throw ComposeError(tree.position, "\(what) must be a whole number from 0 to 1000")
        }
        return value
    }

    /// `labels` and `environment`: a mapping, or a list of `KEY=VALUE`.
    func keyValues(_ tree: ComposeTree?, _ what: String) throws(ComposeError) -> [String: String] {
        guard let tree else { return [:] }
        if case .null = tree { return [:] }
        if let entries = tree.entries {
            return Dictionary(entries.map { ($0.key, $0.value.string ?? "") }, uniquingKeysWith: { _, last in last })
        }
        guard let items = tree.items else { throw ComposeError(tree.position, "\(what) must be a mapping or a list") }
        var values: [String: String] = [:]
        for item in items {
            guard let text = item.string else { throw ComposeError(item.position, "\(what): expected KEY=VALUE") }
            let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            values[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return values
    }

    /// The short (`"8000:8000"`, `"127.0.0.1:8000-8001:8000/tcp"`) and long (`target:`) forms.
    func portMapping(_ tree: ComposeTree, service: String) throws(ComposeError) -> ComposeService.PortMapping {
        let what = "\(service).ports"
        if let entries = tree.entries {
            func value(_ key: String) -> String? { entries.last { $0.key == key }?.value.string }
            guard let target = value("target").flatMap(Int.init), (1...65535).contains(target) else {
                throw ComposeError(tree.position, "\(what): a long-form port needs target: CONTAINER_PORT")
            }
            if let hostIP = value("host_ip"), !hostIP.isEmpty, !Self.isIPAddress(hostIP) {
                throw ComposeError(tree.position, "\(what): \"\(hostIP)\" is not an IP address to publish on")
            }
            return ComposeService.PortMapping(
                hostIP: value("host_ip"),
                published: try value("published").map { text throws(ComposeError) in
                    try Self.portRange(text, tree.position, what)
                } ?? [], target: target, proto: value("protocol") ?? "tcp")
        }
        guard var text = tree.string else { throw ComposeError(tree.position, "\(what): expected a port mapping") }
        var proto = "tcp"
        if let slash = text.lastIndex(of: "/") {
            proto = String(text[text.index(after: slash)...])
            text = String(text[..<slash])
        }
        var hostIP: String?
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            hostIP = String(text[text.index(after: text.startIndex)..<close])
            text = String(text[text.index(after: close)...].drop { $0 == ":" })
        }
        var parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 3 {
            hostIP = parts.removeFirst()
        }
        guard parts.count <= 2 else {
            throw ComposeError(tree.position, "\(what): \"\(tree.string ?? "")\" is not a port mapping")
        }
        if let hostIP, !hostIP.isEmpty, !Self.isIPAddress(hostIP) {
            throw ComposeError(tree.position, "\(what): \"\(hostIP)\" is not an IP address to publish on")
        }
        guard let containerText = parts.last, let first = containerText.split(separator: "-").first,
            let target = Int(first), (1...65535).contains(target)
        else {
            throw ComposeError(tree.position, "\(what): \"\(tree.string ?? "")\" is not a port mapping")
        }
        let published = parts.count == 2 && !parts[0].isEmpty ? try Self.portRange(parts[0], tree.position, what) : []
        return ComposeService.PortMapping(
            hostIP: hostIP?.isEmpty == true ? nil : hostIP, published: published, target: target, proto: proto)
    }

    /// An IPv4 address in dotted quads, or an IPv6 address (hex digits and colons, perhaps a
    /// dotted IPv4 tail), as a published port's host IP must be.
    static func isIPAddress(_ text: String) -> Bool {
        let quads = text.split(separator: ".", omittingEmptySubsequences: false)
        if quads.count == 4, quads.allSatisfy({ !$0.isEmpty && $0.count <= 3 && (Int($0).map { $0 <= 255 } ?? false) })
        {
            return true
        }
        return text.contains(":") && text.count <= 45
            && text.allSatisfy { $0.isASCII && ($0.isHexDigit || $0 == ":" || $0 == ".") }
    }

    static func portRange(_ text: String, _ position: ComposeTree.Position, _ what: String) throws(ComposeError)
        -> [Int]
    {
        let bounds = text.split(separator: "-").map { Int($0) }
        guard let low = bounds.first ?? nil, (1...65535).contains(low) else {
            throw ComposeError(position, "\(what): \"\(text)\" is not a port or a port range")
        }
        guard bounds.count == 2 else { return [low] }
        guard let high = bounds[1], high >= low, high <= 65535, high - low < 1000 else {
            throw ComposeError(position, "\(what): \"\(text)\" is not a port range")
        }
        return Array(low...high)
    }

    /// The short (`[redis]`) and long (`redis: {condition: service_healthy}`) forms.
    mutating func dependsOn(_ tree: ComposeTree?, service: String) throws(ComposeError) -> [(String, String)] {
        guard let tree else { return [] }
        if let items = tree.items {
            return items.compactMap(\.string).map { ($0, "service_started") }
        }
        guard let entries = tree.entries else {
            throw ComposeError(tree.position, "\(service).depends_on must be a list or a mapping")
        }
        var result: [(String, String)] = []
        for (name, options) in entries {
            let condition = options["condition"]?.string ?? "service_started"
            guard ["service_started", "service_healthy", "service_completed_successfully"].contains(condition) else {
                throw ComposeError(
                    options.position,
                    "\(service).depends_on.\(name).condition: expected service_started, service_healthy or service_completed_successfully, found \"\(condition)\""
                )
            }
            result.append((name, condition))
        }
        return result
    }

    mutating func healthcheck(_ tree: ComposeTree?, service: String) throws(ComposeError) -> ComposeService.Healthcheck?
    {
        guard let tree, tree.entries != nil else { return nil }
        if tree["disable"]?.string == "true" { return nil }
        var check = ComposeService.Healthcheck(test: [], shell: false)
        if let test = tree["test"] {
            if let text = test.string {
                check.test = ["/bin/sh", "-c", text]
                check.shell = true
            } else if let words = test.items?.compactMap(\.string), let first = words.first {
                switch first {
                case "NONE": return nil
                case "CMD": check.test = Array(words.dropFirst())
                case "CMD-SHELL":
                    check.test = ["/bin/sh", "-c", words.dropFirst().joined(separator: " ")]
                    check.shell = true
                default:
                    throw ComposeError(
                        test.position, "\(service).healthcheck.test must start with CMD, CMD-SHELL or NONE")
                }
            }
        }
        func seconds(_ key: String) throws(ComposeError) -> Double? {
            guard let value = tree[key] else { return nil }
            guard let text = value.string else {
                throw ComposeError(value.position, "\(service).healthcheck.\(key) must be a duration")
            }
            do {
                let duration = try GoDuration.parse(text, in: .zero...Duration.seconds(86_400))
                return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
            } catch {
                throw ComposeError(value.position, "\(service).healthcheck.\(key): \(error)")
            }
        }
        check.intervalSeconds = try seconds("interval") ?? check.intervalSeconds
        check.timeoutSeconds = try seconds("timeout") ?? check.timeoutSeconds
        check.startPeriodSeconds = try seconds("start_period") ?? check.startPeriodSeconds
        check.startIntervalSeconds = try seconds("start_interval") ?? check.startIntervalSeconds
        if let retries = tree["retries"] {
            check.retries = max(1, try count(retries, "\(service).healthcheck.retries"))
        }
        guard !check.test.isEmpty else { return nil }
        return check
    }
}

extension ComposeService {
    static func empty(_ name: String) -> ComposeService {
        ComposeService(
            name: name, image: nil, command: "", ports: [], expose: [], replicas: 1, dependsOn: [], healthcheck: nil,
            labels: [:], environment: [:], profiles: [], networkMode: nil)
    }
}

extension Character {
    var isASCIILowercaseOrDigit: Bool { isASCII && (isLowercase || isNumber) }
}
