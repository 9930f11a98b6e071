import VitalsDocuments
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
            return (
                service.name, state, "\(service.readyReplicas)/\(service.endpoints.count) replicas ready",
                service.reason
            )
        }
        let overall: Status =
            checks.contains { $0.1 == .fail } ? .fail : checks.contains { $0.1 == .warn } ? .warn : .pass
        return HealthDocument(status: overall, description: "health of stack \(status.stack.name)", checks: checks)
    }

    /// The JSON text, on one line, keys sorted.
    public var json: String {
        var entries: [String: JSONNode] = [:]
        for check in checks {
            var entry: [String: JSONNode] = [
                "componentId": .string(check.name), "componentType": "service",
                "status": .string(check.status.rawValue),
                "observedValue": .string(check.observed),
            ]
            if let output = check.output { entry["output"] = .string(output) }
            entries[check.name + ":ready"] = [.object(entry)]
        }
        let document: JSONNode = [
            "status": .string(status.rawValue), "description": .string(description), "checks": .object(entries),
        ]
        return document.compactText
    }
}
