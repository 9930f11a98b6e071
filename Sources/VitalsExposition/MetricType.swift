/// The type of a metric family, as written on its `# TYPE` line.
public enum MetricType: String, Sendable, Hashable, CaseIterable {
    case counter
    case gauge
    case untyped
    case histogram
    case summary
}
