import VitalsExposition
import VitalsProcessMetrics

/// The exporter's own `process_*` metrics, as a collector run on every scrape.
struct ProcessCollector: Collector {
    let metrics = ProcessMetrics()

    func collect() throws -> [MetricFamily] { try metrics.families() }
}

/// `vitals_exporter_build_info`: which build is running.
struct BuildInfoCollector: Collector {
    let version: String

    func collect() throws -> [MetricFamily] {
        [
            BuildInfo.family(
                "vitals_exporter_build_info",
                help:
                    "A metric with a constant '1' value labeled by version and the Swift compiler from which vitals-exporter was built.",
                labels: [Label("swiftversion", BuildInfo.swiftVersion), Label("version", version)])
        ]
    }
}
