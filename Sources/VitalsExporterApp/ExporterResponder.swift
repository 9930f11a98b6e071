import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import VitalsDaemon
import VitalsExporter
import VitalsExposition
import VitalsHTTP
import VitalsProcFS
import VitalsSystem

/// The exporter's HTTP endpoints: the landing page, the metrics, and health.
///
/// `/metrics` behaves like node_exporter's handler: `collect[]` and `exclude[]` select
/// collectors with the same 400 answers, scrapes beyond `--web.max-requests` get a 503, and
/// the promhttp handler metrics are exposed alongside the process metrics.
public final class ExporterResponder: HTTPResponder {
    public struct Options: Sendable {
        public var telemetryPath = "/metrics"
        /// Concurrent scrapes allowed; 0 means no limit.
        public var maxRequests = 40
        public var includeExporterMetrics = true
        public var version = VitalsVersion.current

        public init() {}
    }

    private let scraper: Scraper
    private let options: Options
    private let logger: Logger
    private let inFlight = Atomic<Int>(0)
    private let ready = Atomic<Bool>(false)
    /// The families' HELP and TYPE lines, written once and reused while they stay the same.
    private let headers = HeaderMemo()
    /// The size of the last scrape's body, to size the next one's buffer.
    private let lastBodySize = Atomic<Int>(64 * 1024)
    private let handlerCounters = Mutex(HandlerCounters())
    private let lastTrim = Mutex(ContinuousClock.now)

    private struct HandlerCounters {
        var ok = 0
        var serverError = 0
        var unavailable = 0
    }

    public init(scraper: Scraper, options: Options, logger: Logger) {
        self.scraper = scraper
        self.options = options
        self.logger = logger
    }

    /// Whether the exporter can serve: it listens and every collector has run once; `/health/ready`
    /// reports it.
    public var isReady: Bool { ready.load(ordering: .relaxed) }

    /// Runs every collector once, so that readiness never waits for a first scrape: under
    /// Kubernetes a pod that is not ready is never scraped, and would never become ready.
    public func warmUp() async {
        _ = await scraper.scrape(includeExporterMetrics: options.includeExporterMetrics)
        ready.store(true, ordering: .relaxed)
        logger.info("ready: every collector has run once")
    }

    /// A scrape prefers the collectors' threads, so that the worker that finishes the last
    /// collector goes on to merge and encode instead of handing the scrape to another thread.
    /// Every other path stays off them, so the health endpoints answer while collectors hang.
    public func executor(for request: HTTPRequest) -> (any TaskExecutor)? {
        request.path == options.telemetryPath ? scraper.executor : nil
    }

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        guard request.method == .GET || request.method == .HEAD else {
            return .text("405 method not allowed\n", status: .methodNotAllowed).logged(for: request, by: logger)
        }
        let path = request.path
        switch path {
        case options.telemetryPath:
            return await metrics(request)
        case "/":
            let collectors = scraper.enabledCollectors.map { name in
                let run = scraper.lastRun(name)
                return LandingPage.Collector(
                    name: name, seconds: run?.seconds, succeeded: run?.succeeded, noData: run?.noData ?? false)
            }
            let page = LandingPage.html(
                version: options.version, telemetryPath: options.telemetryPath, collectors: collectors)
            return .body(Array(page.utf8), contentType: "text/html; charset=utf-8")
        case "/health", "/health/live":
            return .health("{\"status\":\"pass\"}\n")
        case "/health/ready":
            return isReady
                ? .health("{\"status\":\"pass\"}\n") : .health("{\"status\":\"fail\"}\n", status: .serviceUnavailable)
        default:
            return .text("404 page not found\n", status: .notFound).logged(for: request, by: logger)
        }
    }

    private func metrics(_ request: HTTPRequest) async -> HTTPResponse {
        let current = inFlight.wrappingAdd(1, ordering: .relaxed).newValue
        defer { inFlight.wrappingSubtract(1, ordering: .relaxed) }
        logger.debug("scrape started", metadata: ["uri": "\(request.uri)", "in_flight": "\(current)"])
        if options.maxRequests > 0, current > options.maxRequests {
            handlerCounters.withLock { $0.unavailable += 1 }
            return HTTPResponse.text(
                "Limit of concurrent requests reached (\(options.maxRequests)), try again later.\n",
                status: .serviceUnavailable
            ).logged(for: request, by: logger)
        }
        let selection: Set<String>?
        switch selectCollectors(request) {
        case .success(let value): selection = value
        case .failure(let message): return .text(message + "\n", status: .badRequest).logged(for: request, by: logger)
        }
        let families = await scraper.scrape(
            only: selection, includeExporterMetrics: options.includeExporterMetrics,
            timeout: Self.scrapeTimeout(request),
            adding: options.includeExporterMetrics ? handlerFamilies(inFlight: current) : [])
        // Room for the last scrape's body and a little more: growing from a small buffer would
        // copy a 150 KiB body twice over on its way.
        let last = lastBodySize.load(ordering: .relaxed)
        var body = ByteBuffer()
        body.reserveCapacity(last + last / 16 + 4096)
        TextFormatWriter(headers: headers).write(families, to: &body)
        lastBodySize.store(body.readableBytes, ordering: .relaxed)
        handlerCounters.withLock { $0.ok += 1 }
        let response = HTTPResponse.body(body, contentType: TextFormat.contentType)
        trimMemoryWhenIdle(stillInFlight: inFlight.load(ordering: .relaxed) - 1)
        return response
    }

    /// Prometheus says how long it will wait (`X-Prometheus-Scrape-Timeout-Seconds`); the scrape
    /// answers with what finished a little before that, marking slow collectors failed, rather than
    /// losing the whole scrape to one hung collector.
    static func scrapeTimeout(_ request: HTTPRequest) -> Duration? {
        guard let text = request.headers.first(name: "X-Prometheus-Scrape-Timeout-Seconds"),
            let seconds = Double(text), seconds.isFinite, seconds > 0
        else { return nil }
        // Keep a tenth, and at least 100 ms and at most 1 s, for encoding and the network.
        let margin = min(1, max(0.1, seconds / 10))
        let budget = min(seconds, 86_400) - margin
        return budget > 0.01 ? .milliseconds(Int64(budget * 1000)) : .milliseconds(10)
    }

    /// A scrape's families are freed once it is written; when the last concurrent scrape is done,
    /// their pages go back to the kernel, so the resident set returns to its idle size between
    /// scrapes. At most ten times a second, so a busy exporter does not spend its time trimming.
    private func trimMemoryWhenIdle(stillInFlight: Int) {
        guard stillInFlight <= 0 else { return }
        let now = ContinuousClock.now
        let due = lastTrim.withLock { last in
            guard now - last >= .milliseconds(100) else { return false }
            last = now
            return true
        }
        if due { MemoryTuning.trim() }
    }

    private enum Selection {
        case success(Set<String>?)
        case failure(String)
    }

    /// node_exporter's `collect[]` / `exclude[]` handling, with its error texts.
    private func selectCollectors(_ request: HTTPRequest) -> Selection {
        let collects = request.queryValues("collect[]")
        let excludes = request.queryValues("exclude[]")
        if collects.isEmpty, excludes.isEmpty { return .success(nil) }
        if !collects.isEmpty, !excludes.isEmpty {
            return .failure("Combined collect and exclude queries are not allowed.")
        }
        let enabled = Set(scraper.enabledCollectors)
        if !excludes.isEmpty { return .success(enabled.subtracting(excludes)) }
        for name in collects {
            if CollectorCatalog.entry(named: name) == nil {
                return .failure(
                    "Couldn't create filtered metrics handler: couldn't create collector: missing collector: \(name)")
            }
            if !enabled.contains(name) {
                return .failure(
                    "Couldn't create filtered metrics handler: couldn't create collector: disabled collector: \(name)")
            }
        }
        return .success(Set(collects))
    }

    /// promhttp's own metrics, as node_exporter exposes them.
    private func handlerFamilies(inFlight: Int) -> [MetricFamily] {
        let counters = handlerCounters.withLock { $0 }
        var errors = MetricFamily(
            name: "promhttp_metric_handler_errors_total",
            help: "Total number of internal errors encountered by the promhttp metric handler.", type: .counter)
        errors.add(0, Label("cause", "encoding"))
        errors.add(0, Label("cause", "gathering"))
        var requests = MetricFamily(
            name: "promhttp_metric_handler_requests_total", help: "Total number of scrapes by HTTP status code.",
            type: .counter)
        requests.add(Double(counters.ok), Label("code", "200"))
        requests.add(Double(counters.serverError), Label("code", "500"))
        requests.add(Double(counters.unavailable), Label("code", "503"))
        let current = MetricFamily(
            name: "promhttp_metric_handler_requests_in_flight", help: "Current number of scrapes being served.",
            type: .gauge, metrics: [Metric(labels: [], Double(inFlight))])
        return [errors, current, requests]
    }
}
