import Logging
import VitalsExposition

/// Combines families from several collectors into one consistent, sorted exposition, with
/// client_golang's rules for what is inconsistent (and therefore dropped and logged):
/// a name seen with another type or HELP, and a series seen twice.
enum FamilyMerger {
    static func merge(_ families: [MetricFamily], logger: Logger) -> [MetricFamily] {
        // A family without series is not exposed, as client_golang does not expose one. Sorting
        // first (stably, so the earlier collector's family leads) puts equal names side by side,
        // which merges them without a hash table.
        var sorted = families.filter { !$0.metrics.isEmpty }
        sorted.sort { $0.name.precedesInByteOrder($1.name) }
        var merged: [MetricFamily] = []
        merged.reserveCapacity(sorted.count)
        for family in sorted {
            if let last = merged.indices.last, merged[last].name == family.name {
                let index = last
                guard merged[index].type == family.type, merged[index].help == family.help else {
                    logger.error(
                        "dropping inconsistent metric family",
                        metadata: [
                            "name": "\(family.name)",
                            "reason": "collected with type \(family.type.rawValue) and different HELP than before",
                        ])
                    continue
                }
                merged[index].metrics.append(contentsOf: family.metrics)
            } else {
                merged.append(family)
            }
        }
        for index in merged.indices {
            merged[index].normalize()
            removeDuplicateSeries(&merged[index], logger: logger)
        }
        return merged
    }

    /// After sorting, equal label sets are adjacent; keep the first of each.
    private static func removeDuplicateSeries(_ family: inout MetricFamily, logger: Logger) {
        guard family.metrics.count > 1 else { return }
        var kept: [Metric] = []
        kept.reserveCapacity(family.metrics.count)
        for metric in family.metrics {
            if let last = kept.last, last.labels == metric.labels {
                logger.error(
                    "dropping duplicate series",
                    metadata: [
                        "name": "\(family.name)",
                        "labels": "\(metric.labels.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ","))",
                    ])
                continue
            }
            kept.append(metric)
        }
        family.metrics = kept
    }
}
