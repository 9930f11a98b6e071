import VitalsExposition
import VitalsProcFS

/// `vitals_exporter_malformed_lines_total{file}`: lines of kernel files that parsers skipped.
struct MalformedInputCollector: Collector {
    let tally: MalformedInputTally

    func collect() throws -> [MetricFamily] {
        var family = MetricFamily.counter(
            "vitals_exporter_malformed_lines_total",
            "Lines of kernel files that could not be parsed and were skipped, by file.")
        for (file, count) in tally.totals { family.add(Double(count), Label("file", file)) }
        return family.metrics.isEmpty ? [] : [family]
    }
}
