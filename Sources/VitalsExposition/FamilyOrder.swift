import Synchronization

/// The order of a scrape's families by name, remembered from the last scrape.
///
/// A scrape gathers the same families in the same order every time, and sorting a few hundred of
/// them by name was a tenth of a scrape's own work. Comparing this scrape's names with the last
/// one's is a fraction of that: most names are the very same strings, which compare equal at once.
public final class FamilyOrder: Sendable {
    private let last = Mutex<(names: [String], permutation: [Int])?>(nil)

    public init() {}

    /// Indices of `families` in name order (stable: equal names keep their order).
    public func permutation(sorting families: [MetricFamily]) -> [Int] {
        if let known = last.withLock({ $0 }), Self.sameNames(known.names, families) {
            return known.permutation
        }
        let permutation = Self.sortedIndices(families)
        last.withLock { $0 = (families.map(\.name), permutation) }
        return permutation
    }

    /// Indices of `families` in name order, sorted afresh.
    public static func sortedIndices(_ families: [MetricFamily]) -> [Int] {
        var permutation = Array(families.indices)
        permutation.sort { left, right in
            let leftName = families[left].name
            let rightName = families[right].name
            if leftName == rightName { return left < right }
            return leftName.precedesInByteOrder(rightName)
        }
        return permutation
    }

    private static func sameNames(_ names: [String], _ families: [MetricFamily]) -> Bool {
        guard names.count == families.count else { return false }
        for index in names.indices where names[index] != families[index].name { return false }
        return true
    }
}
