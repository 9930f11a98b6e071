import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import VitalsDaemon
import VitalsDocuments
import VitalsExposition
import VitalsHTTP
import VitalsOrchestrator
import VitalsProcessMetrics
import VitalsStatusPage

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The endpoints of `vitals serve`: metrics, aggregated health, and the status page for people.
final class ServeResponder: HTTPResponder {
    private let monitor: Mutex<StackMonitor>
    private let logger: Logger
    private let process = ProcessMetrics()
    /// What the status page remembers; it survives reloads, not restarts.
    let history: StatusHistory

    init(monitor: StackMonitor, history: StatusHistory = StatusHistory(), logger: Logger) {
        self.monitor = Mutex(monitor)
        self.history = history
        self.logger = logger
    }

    /// Unix time in seconds, for the history and the page.
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Takes one sample of the stack for the status page's history.
    func sample() {
        history.record(current.status(), at: Self.now())
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
            return page(StatusPage(document: statusDocument()).html, contentType: "text/html; charset=utf-8")
        case "/api/v1/status":
            return page(statusDocument().json.compactText, contentType: "application/json")
        case "/static/status.css":
            return page(StatusAssets.stylesheet, contentType: "text/css; charset=utf-8")
        case "/static/status.js":
            return page(StatusAssets.script, contentType: "text/javascript; charset=utf-8")
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

    private func statusDocument() -> StatusDocument {
        StatusDocument(status: current.status(), history: history, now: Self.now(), version: VitalsVersion.current)
    }

    /// A page or asset, never cached (it is live), under the page's Content-Security-Policy.
    private func page(_ text: String, contentType: String) -> HTTPResponse {
        var response = HTTPResponse.body(Array(text.utf8), contentType: contentType)
        response.headers.add(name: "Content-Security-Policy", value: StatusAssets.contentSecurityPolicy)
        response.headers.add(name: "Cache-Control", value: "no-store")
        response.headers.add(name: "X-Content-Type-Options", value: "nosniff")
        return response
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
