import VitalsDuration
import VitalsStack
import Yams

/// A service's probes, with the kubelet's fields.
extension YAMLTreeReader {
    mutating func readProbes(_ node: Node, context: String, defaults: ProbeTiming) -> [ProbeSpec] {
        guard let entries = mapping(node, "\(context) probes", allowed: ProbeKind.allCases.map(\.rawValue)) else {
            return []
        }
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
                let port = fields.first.flatMap {
                    integer($0.value, "\(context) tcpSocket.port", minimum: 1, maximum: 65535)
                }
                handler = .tcpSocket(port: port)
            case "exec":
                handlerCount += 1
                guard let fields = mapping(value, "\(context) exec", allowed: ["command"]) else { continue }
                guard let commandNode = fields.first(where: { $0.key == "command" })?.value else {
                    fail(value, "\(context) exec needs command, a list such as [pg_isready, -h, db]")
                    continue
                }
                let command = (list(commandNode, "\(context) exec.command") ?? []).compactMap {
                    string($0, "\(context) exec.command")
                }
                if command.isEmpty {
                    fail(commandNode, "\(context) exec.command must not be empty")
                } else {
                    handler = .exec(command: command)
                }
            case "container":
                handlerCount += 1
                handler = readContainer(value, context: context).map(ProbeHandler.container)
            default:
                readTiming(key, value, into: &timing, context: context)
                if key == "successThreshold", kind != .readiness, timing.successThreshold != 1 {
                    fail(
                        value,
                        "\(context): successThreshold must be 1 for \(kind.rawValue) probes, found \(timing.successThreshold)"
                    )
                    timing.successThreshold = 1
                }
                _ = keyNode
            }
        }
        if handlerCount == 0 {
            fail(node, "\(context) needs one of httpGet, tcpSocket, exec or container")
            return nil
        }
        if handlerCount > 1 {
            fail(node, "\(context) must have exactly one of httpGet, tcpSocket, exec or container")
            return nil
        }
        guard let handler else { return nil }
        return ProbeSpec(kind: kind, handler: handler, timing: timing)
    }

    /// `container: {service: NAME, project: PROJECT}` or `container: {name: CONTAINER}`.
    mutating func readContainer(_ node: Node, context: String) -> ContainerSelector? {
        guard let entries = mapping(node, "\(context) container", allowed: ["service", "project", "name"]) else {
            return nil
        }
        var fields: [String: String] = [:]
        for (key, _, value) in entries {
            guard let text = string(value, "\(context) container.\(key)") else { continue }
            guard !text.isEmpty, text.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                fail(value, "\(context) container.\(key) must be a compose or container name, found \"\(text)\"")
                continue
            }
            fields[key] = text
        }
        switch (fields["service"], fields["name"]) {
        case (let service?, nil):
            return ContainerSelector(.composeService(project: fields["project"], service: service, number: nil))
        case (nil, let name?):
            if fields["project"] != nil { fail(node, "\(context) container: project applies to service, not name") }
            return ContainerSelector(.name(name))
        case (.some, .some):
            fail(node, "\(context) container takes service (a compose service) or name (one container), not both")
        case (nil, nil):
            if entries.count == fields.count {
                fail(node, "\(context) container needs service (a compose service) or name (one container)")
            }
        }
        return nil
    }

    mutating func readHTTPGet(_ node: Node, context: String) -> HTTPGetAction? {
        guard
            let entries = mapping(
                node, "\(context) httpGet", allowed: ["path", "port", "host", "scheme", "httpHeaders", "tlsVerify"])
        else { return nil }
        var action = HTTPGetAction(path: "/")
        for (key, _, value) in entries {
            switch key {
            case "path":
                if let path = string(value, "\(context) httpGet.path") {
                    if !path.hasPrefix("/") {
                        fail(value, "httpGet.path must start with /, found \"\(path)\"")
                    } else if path.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) {
                        fail(value, "httpGet.path must not contain spaces or control characters; percent-encode them")
                    } else {
                        action.path = path
                    }
                }
            case "port": action.port = integer(value, "\(context) httpGet.port", minimum: 1, maximum: 65535)
            case "host": action.host = string(value, "\(context) httpGet.host")
            case "scheme":
                if let text = string(value, "\(context) httpGet.scheme") {
                    if let scheme = HTTPGetAction.Scheme(rawValue: text.uppercased()) {
                        action.scheme = scheme
                    } else {
                        fail(value, "httpGet.scheme must be HTTP or HTTPS, found \"\(text)\"")
                    }
                }
            case "tlsVerify": action.verifyTLS = bool(value, "\(context) httpGet.tlsVerify") ?? false
            case "httpHeaders":
                for item in list(value, "\(context) httpGet.httpHeaders") ?? [] {
                    guard let fields = mapping(item, "\(context) httpHeaders entry", allowed: ["name", "value"]) else {
                        continue
                    }
                    let name = fields.first { $0.key == "name" }.flatMap { string($0.value, "header name") }
                    let headerValue = fields.first { $0.key == "value" }.flatMap { string($0.value, "header value") }
                    guard let name, let headerValue else {
                        fail(item, "each httpHeaders entry needs name and value")
                        continue
                    }
                    // Checked here, with the place in the file, rather than failing every probe.
                    guard Self.isHeaderName(name) else {
                        fail(
                            item, "header name \"\(name)\" must be an HTTP token (letters, digits and !#$%&'*+-.^_`|~)")
                        continue
                    }
                    guard !headerValue.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                        fail(item, "header \(name)'s value must not contain a line break or NUL")
                        continue
                    }
                    action.headers.append(.init(name: name, value: headerValue))
                }
            default: break
            }
        }
        return action
    }

    /// RFC 9110's token: what an HTTP field name may be made of.
    static func isHeaderName(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"):
                    return true
                default:
                    return "!#$%&'*+-.^_`|~".utf8.contains(byte)
                }
            }
    }
}
