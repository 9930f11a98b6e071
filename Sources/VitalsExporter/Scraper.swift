import Logging
import Synchronization
import VitalsExposition
import VitalsProcFS

/// Runs the enabled collectors concurrently for one scrape and assembles their families the
/// way client_golang's registry does: merged by name, series sorted, families sorted, and
/// `node_scrape_collector_duration_seconds` / `node_scrape_collector_success` per collector.
public final class Scraper: Sendable {
    /// Names of the enabled collectors, sorted.
    public let enabledCollectors: [String]
    private let collectors: [(name: String, collector: any Collector)]
    /// Extra collectors that are not node_exporter collectors (process metrics, build info):
    /// they run on every scrape, are not filterable and carry no scrape success metrics.
    private let exporterCollectors: [any Collector]
    private let timeout: Duration?
    private let logger: Logger
    /// The threads collectors run on; a few, however many collectors and scrapes there are.
    private let pool = WorkerPool(name: "collectors", workers: max(2, System.coreCount))
    /// Collector runs in flight: a collector never runs twice at once, so a hung file read costs
    /// one thread, not one per scrape.
    private let flights = CollectorFlights()
    /// The families' name order, which is the same from scrape to scrape.
    private let familyOrder = FamilyOrder()
    /// Each collector's last run, for the landing page.
    private let lastRuns = Mutex<[String: CollectorRun]>([:])

    /// How a collector's last run went.
    public struct CollectorRun: Sendable, Hashable {
        public var seconds: Double
        public var succeeded: Bool
        /// It failed only because the host has nothing for it (no cpufreq on a VM), which
        /// node_exporter also counts as a failure in `node_scrape_collector_success`.
        public var noData = false
    }

    /// The scraper's threads, for the caller to run its scrapes on.
    public var executor: any TaskExecutor { pool }

    /// Each enabled collector's last run, or nil before its first.
    public func lastRun(_ name: String) -> CollectorRun? { lastRuns.withLock { $0[name] } }

    /// Creates the enabled collectors from the catalog.
    /// - Parameters:
    ///   - enabled: names of collectors to run; each must be in ``CollectorCatalog``.
    ///   - exporterCollectors: collectors about the exporter itself (`process_*`), run on every scrape.
    ///   - timeout: how long a scrape waits for its collectors before reporting the slow ones failed.
    public init(
        configuration: ExporterConfiguration, enabled: Set<String>, exporterCollectors: [any Collector] = [],
        timeout: Duration? = nil, logger: Logger
    ) throws(ConfigurationError) {
        var collectors: [(String, any Collector)] = []
        for name in enabled.sorted() {
            var collectorLogger = logger
            collectorLogger[metadataKey: "collector"] = "\(name)"
            collectors.append(
                (name, try CollectorCatalog.make(name, configuration: configuration, logger: collectorLogger)))
        }
        self.collectors = collectors
        self.enabledCollectors = collectors.map(\.0)
        self.exporterCollectors = exporterCollectors
        self.timeout = timeout
        self.logger = logger
    }

    /// The process, build-info and malformed-input collectors every exporter binary carries.
    public static func standardExporterCollectors(
        version: String, configuration: ExporterConfiguration
    ) -> [any Collector] {
        var collectors: [any Collector] = [ProcessCollector(), BuildInfoCollector(version: version)]
        if let tally = configuration.procFS.tally { collectors.append(MalformedInputCollector(tally: tally)) }
        return collectors
    }

    /// Runs the collectors, or only those named in `only`, and returns sorted, consistent families.
    /// - Parameter timeout: the scraper's deadline for this scrape, when the client's is shorter
    ///   than the collector timeout.
    /// - Parameter extra: families to expose with the collectors' (the HTTP handler's own), merged
    ///   in the same step.
    public func scrape(
        only: Set<String>? = nil, includeExporterMetrics: Bool = true, timeout requested: Duration? = nil,
        adding extra: [MetricFamily] = []
    ) async -> [MetricFamily] {
        let timeout = [self.timeout, requested].compactMap { $0 }.min()
        var names: [String] = []
        var jobs: [ScrapeRun.Job] = []
        for (name, collector) in collectors where only?.contains(name) ?? true {
            names.append(name)
            jobs.append(.init(name: name, collector: collector))
        }
        let exporterStart = jobs.count
        if includeExporterMetrics { jobs += exporterCollectors.map { .init(name: nil, collector: $0) } }

        let run = ScrapeRun(jobs: jobs, flights: flights) { [pool] in
            // A collector that outlived its scrape finally returned.
            pool.stuckJobReturned()
        }
        let (results, joined) = await run.run(on: pool, timeout: timeout)

        var duration = MetricFamily(
            name: "node_scrape_collector_duration_seconds", help: "node_exporter: Duration of a collector scrape.",
            type: .gauge)
        var success = MetricFamily(
            name: "node_scrape_collector_success", help: "node_exporter: Whether a collector succeeded.", type: .gauge)
        var all: [MetricFamily] = []
        var runs: [String: CollectorRun] = [:]
        // Merge in collector-name order (names are sorted), so that when two collectors disagree
        // about a family (cpu and cpufreq both define node_cpu_frequency_hertz) the same one wins.
        for (index, result) in results.enumerated() {
            let name = index < exporterStart ? names[index] : nil
            guard let result else {
                if let name {
                    let reason =
                        joined.contains(index) ? "timed out; its previous run has not returned yet" : "timed out"
                    logger.error("collector failed", metadata: ["name": "\(name)", "err": "\(reason)"])
                    duration.add(timeout.map { Double($0.nanoseconds) / 1e9 } ?? 0, Label("collector", name))
                    success.add(0, Label("collector", name))
                    runs[name] = CollectorRun(
                        seconds: timeout.map { Double($0.nanoseconds) / 1e9 } ?? 0, succeeded: false)
                }
                continue
            }
            all.append(contentsOf: result.families)
            guard let name else { continue }
            if let error = result.error {
                if let collectorError = error as? CollectorError, collectorError.isNoData {
                    logger.debug("collector returned no data", metadata: ["name": "\(name)", "err": "\(error)"])
                } else {
                    logger.error(
                        "collector failed",
                        metadata: ["name": "\(name)", "duration_seconds": "\(result.seconds)", "err": "\(error)"])
                }
            }
            duration.add(result.seconds, Label("collector", name))
            success.add(result.error == nil ? 1 : 0, Label("collector", name))
            runs[name] = CollectorRun(
                seconds: result.seconds, succeeded: result.error == nil,
                noData: (result.error as? CollectorError)?.isNoData ?? false)
        }
        lastRuns.withLock { $0.merge(runs) { $1 } }
        all.append(duration)
        all.append(success)
        all += extra
        let (merged, dropped) = FamilyMerger.merge(all, order: familyOrder)
        for drop in dropped {
            switch drop.reason {
            case .inconsistentFamily(let type):
                logger.error(
                    "dropping inconsistent metric family",
                    metadata: [
                        "name": "\(drop.family)",
                        "reason": "collected with type \(type.rawValue) and different HELP than before",
                    ])
            case .duplicateSeries(let labels):
                logger.error(
                    "dropping duplicate series",
                    metadata: [
                        "name": "\(drop.family)",
                        "labels": "\(labels.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ","))",
                    ])
            case .collidesWith(let family, let type):
                logger.error(
                    "dropping metric family whose name collides with another's series",
                    metadata: ["name": "\(drop.family)", "collides_with": "\(type.rawValue) \(family)"])
            }
        }
        return merged
    }
}
