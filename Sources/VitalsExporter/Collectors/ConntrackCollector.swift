import Logging
import VitalsExposition
import VitalsProcFS
import VitalsSystem

/// `conntrack`: connection tracking table size, limit and per-CPU statistics.
struct ConntrackCollector: Collector {
    static let statistics: [(column: String, name: String, help: String)] = [
        ("found", "node_nf_conntrack_stat_found", "Number of searched entries which were successful."),
        ("invalid", "node_nf_conntrack_stat_invalid", "Number of packets seen which can not be tracked."),
        (
            "ignore", "node_nf_conntrack_stat_ignore",
            "Number of packets seen which are already connected to a conntrack entry."
        ),
        ("insert", "node_nf_conntrack_stat_insert", "Number of entries inserted into the list."),
        (
            "insert_failed", "node_nf_conntrack_stat_insert_failed",
            "Number of entries for which list insertion was attempted but failed."
        ),
        ("drop", "node_nf_conntrack_stat_drop", "Number of packets dropped due to conntrack failure."),
        (
            "early_drop", "node_nf_conntrack_stat_early_drop",
            "Number of dropped conntrack entries to make room for new ones, if maximum table size was reached."
        ),
        (
            "search_restart", "node_nf_conntrack_stat_search_restart",
            "Number of conntrack table lookups which had to be restarted due to hashtable resizes."
        ),
    ]

    let procFS: ProcFS

    func collect() throws -> [MetricFamily] {
        let files = try ifPresent { () throws(FileSystemError) in
            let size = try procFS.conntrackTableSize()
            return (size.count, size.limit, try procFS.conntrackStat())
        }
        guard let (count, limit, stat) = files else {
            throw CollectorError.noData("conntrack probably not loaded")
        }
        var families: [MetricFamily] = [
            .single(
                "node_nf_conntrack_entries", "Number of currently allocated flow entries for connection tracking.",
                .gauge, Double(count) ?? 0),
            .single(
                "node_nf_conntrack_entries_limit", "Maximum size of connection tracking table.", .gauge,
                Double(limit) ?? 0),
        ]
        for statistic in Self.statistics {
            families.append(
                .single(statistic.name, statistic.help, .gauge, Double(stat.totals[statistic.column] ?? 0)))
        }
        return families
    }
}

extension ConntrackCollector: CollectorDefinition {
    static let name = "conntrack"
    static let enabledByDefault = true

    init(configuration: ExporterConfiguration, logger: Logger) {
        self.init(procFS: configuration.procFS)
    }
}
