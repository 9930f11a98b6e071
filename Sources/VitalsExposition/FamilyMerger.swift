/// The one gather-and-sort step before an exposition, shared by both daemons: families from
/// several sources combined into one consistent, sorted list, with client_golang's rules for what
/// is inconsistent. What it drops is returned, for the caller to log.
public enum FamilyMerger {
    /// Something left out of the exposition, and why.
    public struct Drop: Sendable, Equatable, CustomStringConvertible {
        public enum Reason: Sendable, Equatable {
            /// A family seen again with another type or HELP; the first one seen is kept.
            case inconsistentFamily(MetricType)
            /// A series seen twice in one family; the first one is kept.
            case duplicateSeries([Label])
            /// A family named like a series of the histogram or summary named here (`h_bucket`
            /// beside a histogram `h`); the histogram or summary is kept.
            case collidesWith(family: String, type: MetricType)
        }

        public var family: String
        public var reason: Reason

        public init(family: String, reason: Reason) {
            self.family = family
            self.reason = reason
        }

        public var description: String {
            switch reason {
            case .inconsistentFamily(let type):
                "dropping inconsistent metric family \(family): collected with type \(type.rawValue) and different HELP than before"
            case .duplicateSeries(let labels):
                "dropping duplicate series \(family){\(labels.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ","))}"
            case .collidesWith(let other, let type):
                "dropping metric family \(family): its name collides with the series of \(type.rawValue) \(other)"
            }
        }
    }

    /// Merges `families`: same-named families combined, families without series left out (as
    /// client_golang exposes none), labels and series in order, families sorted by name.
    /// - Parameter order: where a caller that merges the same families again and again (a scrape)
    ///   keeps the last sort; nil to sort every time.
    public static func merge(
        _ families: [MetricFamily], order: FamilyOrder? = nil
    ) -> (families: [MetricFamily], dropped: [Drop]) {
        // Sorting first (stably, so the earlier source's family leads) puts equal names side by
        // side, which merges them without a hash table.
        let permutation = order?.permutation(sorting: families) ?? FamilyOrder.sortedIndices(families)
        var merged: [MetricFamily] = []
        var dropped: [Drop] = []
        merged.reserveCapacity(families.count)
        for index in permutation where !families[index].metrics.isEmpty {
            let family = families[index]
            if let last = merged.indices.last, merged[last].name == family.name {
                guard merged[last].type == family.type, merged[last].help == family.help else {
                    dropped.append(Drop(family: family.name, reason: .inconsistentFamily(family.type)))
                    continue
                }
                merged[last].metrics.append(contentsOf: family.metrics)
            } else {
                merged.append(family)
            }
        }
        removeSuffixCollisions(&merged, dropped: &dropped)
        for index in merged.indices {
            merged[index].normalize()
            removeDuplicateSeries(&merged[index], dropped: &dropped)
        }
        return (merged, dropped)
    }

    /// client_golang refuses a family named like a histogram's or summary's own series
    /// (`h_bucket`, `h_sum`, `h_count` beside a histogram `h`): Prometheus could not tell their
    /// lines apart, nor could a parser reading the exposition back. The histogram or summary is
    /// kept (its name sorts first, as client_golang keeps what it collected first), and the
    /// look-alike dropped. Only histograms and summaries are looked at: most scrapes have none.
    private static func removeSuffixCollisions(_ merged: inout [MetricFamily], dropped: inout [Drop]) {
        var colliding: [Int] = []
        for owner in merged.indices where merged[owner].type == .histogram || merged[owner].type == .summary {
            guard !colliding.contains(owner) else { continue }
            let name = merged[owner].name
            let type = merged[owner].type
            for suffix in type == .histogram ? ["_bucket", "_count", "_sum"] : ["_count", "_sum"] {
                guard let index = find(name + suffix, in: merged[(owner + 1)...]) else { continue }
                colliding.append(index)
                dropped.append(Drop(family: merged[index].name, reason: .collidesWith(family: name, type: type)))
            }
        }
        for index in colliding.sorted(by: >) { merged.remove(at: index) }
    }

    /// Binary search of the sorted, merged families by name.
    private static func find(_ name: String, in families: ArraySlice<MetricFamily>) -> Int? {
        var low = families.startIndex
        var high = families.endIndex
        while low < high {
            let middle = (low + high) / 2
            if families[middle].name.precedesInByteOrder(name) { low = middle + 1 } else { high = middle }
        }
        return low < families.endIndex && families[low].name == name ? low : nil
    }

    /// After sorting, equal label sets are adjacent; keep the first of each.
    private static func removeDuplicateSeries(_ family: inout MetricFamily, dropped: inout [Drop]) {
        guard family.metrics.count > 1 else { return }
        // Almost never any: look before building a copy of the series.
        let metrics = family.metrics
        guard metrics.indices.dropFirst().contains(where: { metrics[$0 - 1].labels == metrics[$0].labels }) else {
            return
        }
        var kept: [Metric] = []
        kept.reserveCapacity(family.metrics.count)
        for metric in family.metrics {
            if let last = kept.last, last.labels == metric.labels {
                dropped.append(Drop(family: family.name, reason: .duplicateSeries(metric.labels)))
                continue
            }
            kept.append(metric)
        }
        family.metrics = kept
    }
}
