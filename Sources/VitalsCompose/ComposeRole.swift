import VitalsStack

/// What a compose service is to the monitoring, guessed from its image, command and labels.
enum ComposeRole: Sendable, Equatable {
    /// A service to watch, of this kind.
    case service(ServiceKind)
    /// An exporter whose metrics belong to a service of `kind` (`flower` names Flower, whose
    /// metrics the Celery rules read differently).
    case exporter(of: ServiceKind, flower: Bool, defaultPort: Int)
    /// A host exporter (node_exporter): the stack's `nodes:`.
    case hostExporter
}

extension ComposeRole {
    /// The guess and the reason for it, for the stack file's comment.
    static func guess(_ service: ComposeService) -> (role: ComposeRole, reason: String) {
        let image = (service.image ?? "").lowercased()
        // `registry:5000/team/app:tag@sha256:…` → `registry:5000/team/app`: the tag follows the last slash.
        let withoutDigest = image.split(separator: "@").first.map(String.init) ?? ""
        let slash = withoutDigest.lastIndex(of: "/") ?? withoutDigest.startIndex
        let repository =
            withoutDigest[slash...].contains(":")
            ? String(withoutDigest[..<(withoutDigest[slash...].firstIndex(of: ":") ?? withoutDigest.endIndex)])
            : withoutDigest
        let last = repository.split(separator: "/").last.map(String.init) ?? ""
        let command = service.command.lowercased()
        let from = "image \(service.image ?? "none")"
        if last.contains("redis_exporter") || last.contains("redis-exporter") {
            return (.exporter(of: .redis, flower: false, defaultPort: 9121), "\(from) is redis_exporter")
        }
        if last.contains("postgres-exporter") || last.contains("postgres_exporter") {
            return (.exporter(of: .postgres, flower: false, defaultPort: 9187), "\(from) is postgres_exporter")
        }
        if last.contains("celery-exporter") || last.contains("celery_exporter") {
            return (.exporter(of: .celery, flower: false, defaultPort: 9808), "\(from) is celery-exporter")
        }
        if last.contains("flower") || command.contains("flower") {
            return (
                .exporter(of: .celery, flower: true, defaultPort: 5555),
                "Flower (\(from), command \"\(service.command)\")"
            )
        }
        if last.contains("node-exporter") || last.contains("node_exporter") || last.contains("vitals-exporter") {
            return (.hostExporter, "\(from) is a host exporter")
        }
        if command.contains("celery") && (command.contains(" worker") || command.contains(" beat")) {
            return (.service(.celery), "command \"\(service.command)\" runs Celery")
        }
        if command.contains("uvicorn") || (command.contains("gunicorn") && command.contains("uvicorn")) {
            return (.service(.fastapi), "command \"\(service.command)\" runs an ASGI app with uvicorn")
        }
        if last.hasPrefix("redis") || last == "valkey" { return (.service(.redis), "\(from)") }
        if last.contains("postgres") || last.contains("pgvector") || last.contains("postgis") || last == "timescaledb" {
            return (.service(.postgres), "\(from)")
        }
        if last == "prometheus" { return (.service(.prometheus), "\(from)") }
        if last == "alertmanager" { return (.service(.alertmanager), "\(from)") }
        if last == "grafana" || last == "grafana-oss" || last == "grafana-enterprise" {
            return (.service(.grafana), "\(from)")
        }
        if repository.contains("vitals") && command.contains("serve") {
            return (.service(.vitals), "\(from), vitals serve")
        }
        if service.healthcheck.flatMap(HealthcheckURL.init) != nil {
            return (.service(.http), "its healthcheck asks an HTTP URL")
        }
        return (.service(.tcp), "nothing says it speaks HTTP, so a TCP connect checks it")
    }
}

/// The port a service of a kind listens on when compose does not say.
extension ServiceKind {
    var usualPort: Int? {
        switch self {
        case .redis: 6379
        case .postgres: 5432
        case .prometheus: 9090
        case .alertmanager: 9093
        case .grafana: 3000
        case .fastapi: 8000
        case .vitals: 9110
        case .http, .tcp, .celery: nil
        }
    }
}
