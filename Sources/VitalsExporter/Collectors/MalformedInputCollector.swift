import VitalsExposition
import VitalsProcFS

/// `vitals_exporter_malformed_lines_total{file}`: lines of kernel files that parsers skipped.
struct MalformedInputCollector: Collector {
    let tally: MalformedInputTally

    func collect() throws -> [MetricFamily] {
        var family = MetricFamily.counter(
            "vitals_exporter_malformed_lines_total",
            "Lines of kernel files that could not be parsed and were skipped, by file.")
        // In exposition order: sorting the pairs here is cheaper than sorting the series later.
        for (file, count) in tally.totals.sorted(by: { $0.key.precedesInByteOrder($1.key) }) {
            family.add(Double(count), Label("file", file))
        }
        return family.metrics.isEmpty ? [] : [family]
    }
}
