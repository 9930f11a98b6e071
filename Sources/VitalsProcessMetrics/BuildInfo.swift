import VitalsExposition

/// A daemon's build-info gauge (`vitals_exporter_build_info`, `vitals_build_info`): a constant 1
/// labelled with the version, so that dashboards can tell which build runs where.
public enum BuildInfo {
    /// The Swift compiler the binary was built with, as client_golang's `goversion` label.
    public static var swiftVersion: String {
        #if compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #elseif compiler(>=6.1)
        "6.1"
        #else
        "6.0"
        #endif
    }

    public static func family(_ name: String, help: String, labels: [Label]) -> MetricFamily {
        MetricFamily(name: name, help: help, type: .gauge, metrics: [Metric(labels: labels, 1)])
    }
}
