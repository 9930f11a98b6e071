extension MetricFamily {
    /// A gauge family with no series yet.
    public static func gauge(_ name: String, _ help: String) -> MetricFamily {
        MetricFamily(name: name, help: help, type: .gauge)
    }

    /// A counter family with no series yet.
    public static func counter(_ name: String, _ help: String) -> MetricFamily {
        MetricFamily(name: name, help: help, type: .counter)
    }

    /// An untyped family with no series yet.
    public static func untyped(_ name: String, _ help: String) -> MetricFamily {
        MetricFamily(name: name, help: help, type: .untyped)
    }

    /// A family holding one unlabelled sample.
    public static func single(_ name: String, _ help: String, _ type: MetricType, _ value: Double) -> MetricFamily {
        MetricFamily(name: name, help: help, type: type, metrics: [Metric(labels: [], value)])
    }
}

extension Array where Element == MetricFamily {
    /// Appends `family` unless it has no series, so families without data are not emitted.
    public mutating func appendIfNotEmpty(_ family: MetricFamily) {
        if !family.metrics.isEmpty { append(family) }
    }
}
