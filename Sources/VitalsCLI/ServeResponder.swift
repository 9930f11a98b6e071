import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import VitalsDaemon
import VitalsExposition
import VitalsHTTP
import VitalsOrchestrator
import VitalsProcessMetrics

/// The endpoints of `vitals serve`: metrics and aggregated health.
final class ServeResponder: HTTPResponder {
    private let monitor: Mutex<StackMonitor>
    private let logger: Logger
    private let process = ProcessMetrics()

    init(monitor: StackMonitor, logger: Logger) {
        self.monitor = Mutex(monitor)
        self.logger = logger
    }

    var current: StackMonitor { monitor.withLock { $0 } }

    /// Swaps in the monitor of a reloaded stack and returns the old one.
    func replace(with new: StackMonitor) -> StackMonitor {
        monitor.withLock { current in
            defer { current = new }
            return current
        }
    }

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        guard request.method == .GET || request.method == .HEAD else {
            return .text("405 method not allowed\n", status: .methodNotAllowed).logged(for: request, by: logger)
        }
        let path = request.path
        switch path {
        case "/metrics":
            return metrics()
        case "/health/live":
            return .health("{\"status\":\"pass\",\"description\":\"vitals serve is running\"}\n", status: .ok)
        case "/health":
            let document = HealthDocument.overall(current.status())
            return .health(document.json, status: document.status == .fail ? .serviceUnavailable : .ok)
        case "/health/ready":
            let document = HealthDocument.readiness(current.status())
            return .health(document.json, status: document.status == .pass ? .ok : .serviceUnavailable)
        case "/":
            return .text("vitals serve: /metrics, /health, /health/live, /health/ready, /health/ready/<service>\n")
        default:
            if path.hasPrefix("/health/ready/") {
                let name = String(path.dropFirst("/health/ready/".count))
                let status = current.status()
                guard status.service(name) != nil else {
                    return .text("unknown service \"\(name)\"\n", status: .notFound).logged(for: request, by: logger)
                }
                let document = HealthDocument.readiness(status, only: name)
                return .health(document.json, status: document.status == .pass ? .ok : .serviceUnavailable)
            }
            return .text("404 page not found\n", status: .notFound).logged(for: request, by: logger)
        }
    }

    private func metrics() -> HTTPResponse {
        let monitor = current
        let (lateness, probesRun) = monitor.schedulingStatistics()
        var families = StackMetrics.families(monitor.status(), lateness: lateness, probesRun: probesRun)
        families += (try? process.families()) ?? []
        families.append(
            BuildInfo.family(
                "vitals_build_info", help: "A metric with a constant '1' value labeled by the version of vitals.",
                labels: [Label("version", VitalsVersion.current)]))
        families = FamilyMerger.merge(families).families
        var body: [UInt8] = []
        TextFormatWriter().write(families, to: &body)
        return .body(body, contentType: TextFormat.contentType)
    }
}
