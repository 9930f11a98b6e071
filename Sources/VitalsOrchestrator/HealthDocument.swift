import VitalsStack

/// An `application/health+json` document (draft-inadarei-api-health-check): an overall status and
/// a check per service.
public struct HealthDocument: Sendable {
    public enum Status: String, Sendable {
        case pass, warn, fail
    }

    public var status: Status
    public var description: String
    public var checks: [(name: String, status: Status, observed: String, output: String?)]

    /// `/health/ready`: pass when every service is effectively ready, fail otherwise.
    public static func readiness(_ status: StackStatus, only service: String? = nil) -> HealthDocument {
        let services = status.services.filter { service == nil || $0.name == service }
        let checks = services.map { service in
            (
                service.name, service.effectivelyReady ? Status.pass : .fail,
                "\(service.readyReplicas)/\(service.endpoints.count) replicas ready", service.reason
            )
        }
        let overall: Status = checks.allSatisfy { $0.1 == .pass } ? .pass : .fail
        return HealthDocument(status: overall, description: "readiness of stack \(status.stack.name)", checks: checks)
    }

    /// `/health`: pass, warn when a service is degraded (some replicas ready, or ready but blocked),
    /// fail when a service has no ready replica.
    public static func overall(_ status: StackStatus) -> HealthDocument {
        let checks = status.services.map { service -> (String, Status, String, String?) in
            let state: Status
            if service.effectivelyReady {
                state = .pass
            } else if service.readyReplicas > 0 || service.endpoints.isEmpty {
                state = .warn
            } else {
                state = .fail
            }
            return (service.name, state, "\(service.readyReplicas)/\(service.endpoints.count) replicas ready", service.reason)
        }
        let overall: Status =
            checks.contains { $0.1 == .fail } ? .fail : checks.contains { $0.1 == .warn } ? .warn : .pass
        return HealthDocument(status: overall, description: "health of stack \(status.stack.name)", checks: checks)
    }

    /// The JSON text, with keys in a fixed order.
    public var json: String {
        var text = "{\"status\":\"\(status.rawValue)\",\"description\":\(Self.quote(description)),\"checks\":{"
        text += checks.map { check in
            var entry = "\(Self.quote(check.name + ":ready")):[{\"componentId\":\(Self.quote(check.name)),\"componentType\":\"service\",\"status\":\"\(check.status.rawValue)\",\"observedValue\":\(Self.quote(check.observed))"
            if let output = check.output { entry += ",\"output\":\(Self.quote(output))" }
            return entry + "}]"
        }.joined(separator: ",")
        return text + "}}\n"
    }

    static func quote(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 {
                    output += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }
}
