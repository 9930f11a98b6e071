/// A named group of series that share HELP text and type.
///
/// Collectors build families in whatever order is natural to them; ``normalize()`` then
/// puts them into client_golang's canonical order (labels by name, series by label values),
/// which is what makes the exposition byte-stable.
public struct MetricFamily: Sendable, Hashable {
    public var name: String
    public var help: String
    public var type: MetricType
    public var metrics: [Metric]

    @inlinable
    public init(name: String, help: String, type: MetricType, metrics: [Metric] = []) {
        self.name = name
        self.help = help
        self.type = type
        self.metrics = metrics
    }

    /// Appends a plain sample. Label pairs may come in any order.
    @inlinable
    public mutating func add(_ value: Double, _ labels: Label...) {
        metrics.append(Metric(labels: labels, value))
    }

    /// Appends a plain sample with labels given as an array.
    @inlinable
    public mutating func add(_ value: Double, labels: [Label]) {
        metrics.append(Metric(labels: labels, value))
    }

    /// Sorts each series' labels by name and the series by their label values, the way
    /// client_golang's registry does before it encodes a family.
    public mutating func normalize() {
        for index in metrics.indices where !Self.labelsAreSorted(metrics[index].labels) {
            metrics[index].labels.sort { $0.name.precedesInByteOrder($1.name) }
        }
        if metrics.count > 1, !Self.seriesAreSorted(metrics) {
            metrics.sort(by: Self.seriesPrecedes)
        }
    }

    /// client_golang's metric ordering: fewer labels first, then label values pairwise.
    @usableFromInline
    static func seriesPrecedes(_ lhs: Metric, _ rhs: Metric) -> Bool {
        if lhs.labels.count != rhs.labels.count {
            return lhs.labels.count < rhs.labels.count
        }
        for index in lhs.labels.indices {
            let left = lhs.labels[index].value
            let right = rhs.labels[index].value
            if left != right {
                return left.precedesInByteOrder(right)
            }
        }
        return false
    }

    @usableFromInline
    static func seriesAreSorted(_ metrics: [Metric]) -> Bool {
        for index in 1..<metrics.count where seriesPrecedes(metrics[index], metrics[index - 1]) {
            return false
        }
        return true
    }

    @usableFromInline
    static func labelsAreSorted(_ labels: [Label]) -> Bool {
        guard labels.count > 1 else { return true }
        for index in 1..<labels.count
        where !labels[index - 1].name.precedesInByteOrder(labels[index].name) {
            return false
        }
        return true
    }
}
