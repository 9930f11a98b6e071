/// One series of a family: its labels and its value.
public struct Metric: Sendable, Hashable {
    /// Label pairs; sorted by name once the family is normalized.
    public var labels: [Label]
    public var value: MetricValue

    @inlinable
    public init(labels: [Label] = [], value: MetricValue) {
        self.labels = labels
        self.value = value
    }

    @inlinable
    public init(labels: [Label] = [], _ value: Double) {
        self.labels = labels
        self.value = .sample(value)
    }
}

/// The value of one series. Histograms and summaries carry their buckets or quantiles
/// so that the writer can emit the `_bucket`, `_sum` and `_count` lines in client_golang's order.
public enum MetricValue: Sendable, Hashable {
    case sample(Double)
    case histogram(Histogram)
    case summary(Summary)
}

/// A classic Prometheus histogram: cumulative bucket counts by upper bound.
public struct Histogram: Sendable, Hashable {
    public var buckets: [Bucket]
    public var sum: Double
    public var count: Double

    public struct Bucket: Sendable, Hashable {
        public var upperBound: Double
        public var cumulativeCount: Double

        public init(upperBound: Double, cumulativeCount: Double) {
            self.upperBound = upperBound
            self.cumulativeCount = cumulativeCount
        }
    }

    public init(buckets: [Bucket], sum: Double, count: Double) {
        self.buckets = buckets
        self.sum = sum
        self.count = count
    }
}

/// A Prometheus summary: quantiles with their values.
public struct Summary: Sendable, Hashable {
    public var quantiles: [Quantile]
    public var sum: Double
    public var count: Double

    public struct Quantile: Sendable, Hashable {
        public var quantile: Double
        public var value: Double

        public init(quantile: Double, value: Double) {
            self.quantile = quantile
            self.value = value
        }
    }

    public init(quantiles: [Quantile], sum: Double, count: Double) {
        self.quantiles = quantiles
        self.sum = sum
        self.count = count
    }
}
