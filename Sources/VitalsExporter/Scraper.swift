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
    /// The threads collectors run on; a few, however many collectors and scrapes there are.
    private let pool = WorkerPool(name: "collectors", workers: 4)
    /// Extra collectors that are not node_exporter collectors (process metrics, build info):
    /// they run on every scrape, are not filterable and carry no scrape success metrics.
    private let exporterCollectors: [any Collector]
    private let timeout: Duration?
    private let logger: Logger
    /// Collectors whose run outlived its timeout and has not returned yet; they are not started
    /// again until it does, so a hung file read costs one thread, not one per scrape.
    private let stuck = Mutex<Set<String>>([])

    /// Creates the enabled collectors from the catalog.
    /// - Parameters:
    ///   - enabled: names of collectors to run; each must be in ``CollectorCatalog``.
    ///   - exporterCollectors: collectors about the exporter itself (`process_*`), run on every scrape.
    ///   - timeout: how long one collector may take before it is reported as failed.
    public init(
        configuration: ExporterConfiguration, enabled: Set<String>, exporterCollectors: [any Collector] = [],
        timeout: Duration? = nil, logger: Logger
    ) throws(ConfigurationError) {
        var collectors: [(String, any Collector)] = []
        for name in enabled.sorted() {
            guard let descriptor = CollectorCatalog.descriptor(named: name) else {
                throw ConfigurationError("unknown collector \"\(name)\"")
            }
            var collectorLogger = logger
            collectorLogger[metadataKey: "collector"] = "\(name)"
            collectors.append((name, try descriptor.make(configuration, collectorLogger)))
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
    public func scrape(only: Set<String>? = nil, includeExporterMetrics: Bool = true) async -> [MetricFamily] {
        let selected = collectors.filter { only?.contains($0.name) ?? true }
        var outcomes: [(name: String, families: [MetricFamily], seconds: Double, success: Bool)] = []
        outcomes.reserveCapacity(selected.count)
        var exporterFamilies: [MetricFamily] = []
        await withTaskGroup(of: (String?, [MetricFamily], Double, Bool).self) { group in
            for (name, collector) in selected {
                group.addTask { await self.run(name: name, collector: collector) }
            }
            if includeExporterMetrics {
                for collector in exporterCollectors {
                    group.addTask { (nil, (try? collector.collect()) ?? [], 0, true) }
                }
            }
            for await (name, families, seconds, success) in group {
                if let name {
                    outcomes.append((name, families, seconds, success))
                } else {
                    exporterFamilies.append(contentsOf: families)
                }
            }
        }
        var duration = MetricFamily(
            name: "node_scrape_collector_duration_seconds", help: "node_exporter: Duration of a collector scrape.",
            type: .gauge)
        var success = MetricFamily(
            name: "node_scrape_collector_success", help: "node_exporter: Whether a collector succeeded.", type: .gauge)
        // Merge in collector-name order, so that when two collectors disagree about a family
        // (cpu and cpufreq both define node_cpu_frequency_hertz) the same one wins every time.
        outcomes.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        var all = exporterFamilies
        for outcome in outcomes {
            all.append(contentsOf: outcome.families)
            duration.add(outcome.seconds, Label("collector", outcome.name))
            success.add(outcome.success ? 1 : 0, Label("collector", outcome.name))
        }
        if !outcomes.isEmpty {
            all.append(duration)
            all.append(success)
        }
        return FamilyMerger.merge(all, logger: logger)
    }

    private func run(name: String, collector: any Collector) async -> (String?, [MetricFamily], Double, Bool) {
        if stuck.withLock({ $0.contains(name) }) {
            logger.error(
                "collector failed", metadata: ["name": "\(name)", "err": "its previous run has not returned yet"])
            return (name, [], 0, false)
        }
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = await BlockingWork.run(on: pool, timeout: timeout) { [self] () -> Result<[MetricFamily], any Error> in
            defer { self.stuck.withLock { _ = $0.remove(name) } }
            return Result { try collector.collect() }
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        switch outcome {
        case .finished(.success(let families)):
            logger.debug("collector succeeded", metadata: ["name": "\(name)", "duration_seconds": "\(seconds)"])
            return (name, families, seconds, true)
        case .finished(.failure(let error)):
            if let collectorError = error as? CollectorError, collectorError.isNoData {
                logger.debug("collector returned no data", metadata: ["name": "\(name)", "err": "\(error)"])
            } else {
                logger.error(
                    "collector failed",
                    metadata: ["name": "\(name)", "duration_seconds": "\(seconds)", "err": "\(error)"])
            }
            return (name, [], seconds, false)
        case .timedOut:
            stuck.withLock { _ = $0.insert(name) }
            logger.error(
                "collector failed",
                metadata: ["name": "\(name)", "duration_seconds": "\(seconds)", "err": "timed out"])
            return (name, [], seconds, false)
        }
    }
}
