import VitalsExposition
import VitalsProcFS

/// `filefd`: allocated and maximum file handles from /proc/sys/fs/file-nr.
struct FilefdCollector: Collector {
    let procFS: ProcFS

    func collect() throws -> [MetricFamily] {
        let fields = ByteText.fields(try procFS.read("sys/fs/file-nr")[...])
        guard fields.count >= 3, let allocated = ByteText.parseDouble(fields[0]),
            let maximum = ByteText.parseDouble(fields[2])
        else {
            throw CollectorError.failed("unexpected number of file stats in \(procFS.path("sys/fs/file-nr"))")
        }
        return [
            .single("node_filefd_allocated", "File descriptor statistics: allocated.", .gauge, allocated),
            .single("node_filefd_maximum", "File descriptor statistics: maximum.", .gauge, maximum),
        ]
    }
}

/// `entropy`: the kernel's random pool from /proc/sys/kernel/random.
struct EntropyCollector: Collector {
    let procFS: ProcFS

    func collect() throws -> [MetricFamily] {
        func read(_ file: String) throws -> Double {
            let path = procFS.path("sys/kernel/random", file)
            guard let value = Double(try FileAccess.readAttribute(path)) else {
                throw CollectorError.failed("couldn't parse \(path)")
            }
            return value
        }
        return [
            .single("node_entropy_available_bits", "Bits of available entropy.", .gauge, try read("entropy_avail")),
            .single("node_entropy_pool_size_bits", "Bits of entropy pool.", .gauge, try read("poolsize")),
        ]
    }
}

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
            (
                try FileAccess.readAttribute(procFS.path("sys/net/netfilter/nf_conntrack_count")),
                try FileAccess.readAttribute(procFS.path("sys/net/netfilter/nf_conntrack_max")),
                try procFS.read("net/stat/nf_conntrack")
            )
        }
        guard let (count, limit, statBytes) = files else {
            throw CollectorError.noData("conntrack probably not loaded")
        }
        let stat = ConntrackStat.parse(statBytes)
        procFS.tally?.record(stat.malformedLines, in: procFS.path("net/stat/nf_conntrack"))
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

/// `pressure`: pressure stall information from /proc/pressure.
struct PressureCollector: Collector {
    let procFS: ProcFS

    /// node_exporter divides microseconds by 1000 twice; so does this, for identical floats.
    static func seconds(_ microseconds: UInt64) -> Double { Double(microseconds) / 1000.0 / 1000.0 }

    func collect() throws -> [MetricFamily] {
        var families: [MetricFamily] = []
        for resource in ["cpu", "io", "memory", "irq"] {
            let bytes: [UInt8]?
            do {
                bytes = try ifPresent { () throws(FileSystemError) in try procFS.read("pressure/\(resource)") }
            } catch {
                guard error.errorNumber == 95 else { throw error }  // EOPNOTSUPP: booted with psi=0
                throw CollectorError.noData("pressure information is disabled; boot with psi=1 to enable it")
            }
            guard let bytes else { continue }
            let stats = PressureStats.parse(bytes)
            procFS.tally?.record(stats.malformedLines, in: procFS.path("pressure", resource))
            if resource != "irq", stats.someTotal == nil { throw CollectorError.noData("no 'some' pressure data") }
            if resource != "cpu", stats.fullTotal == nil { throw CollectorError.noData("no 'full' pressure data") }
            switch resource {
            case "cpu":
                families.append(
                    .single(
                        "node_pressure_cpu_waiting_seconds_total",
                        "Total time in seconds that processes have waited for CPU time", .counter,
                        Self.seconds(stats.someTotal!)))
            case "io":
                families.append(
                    .single(
                        "node_pressure_io_waiting_seconds_total",
                        "Total time in seconds that processes have waited due to IO congestion", .counter,
                        Self.seconds(stats.someTotal!)))
                families.append(
                    .single(
                        "node_pressure_io_stalled_seconds_total",
                        "Total time in seconds no process could make progress due to IO congestion", .counter,
                        Self.seconds(stats.fullTotal!)))
            case "memory":
                families.append(
                    .single(
                        "node_pressure_memory_waiting_seconds_total",
                        "Total time in seconds that processes have waited for memory", .counter,
                        Self.seconds(stats.someTotal!)))
                families.append(
                    .single(
                        "node_pressure_memory_stalled_seconds_total",
                        "Total time in seconds no process could make progress due to memory congestion", .counter,
                        Self.seconds(stats.fullTotal!)))
            default:
                families.append(
                    .single(
                        "node_pressure_irq_stalled_seconds_total",
                        "Total time in seconds no process could make progress due to IRQ congestion", .counter,
                        Self.seconds(stats.fullTotal!)))
            }
        }
        guard !families.isEmpty else {
            throw CollectorError.noData("pressure information is unavailable; it needs Linux 4.20+ with CONFIG_PSI")
        }
        return families
    }
}

/// `udp_queues`: bytes queued in UDP sockets, IPv4 and IPv6.
struct UDPQueuesCollector: Collector {
    let procFS: ProcFS

    func collect() throws -> [MetricFamily] {
        var family = MetricFamily.gauge(
            "node_udp_queues", "Number of allocated memory in the kernel for UDP datagrams in bytes.")
        var missing = 0
        for (file, ip) in [("net/udp", "v4"), ("net/udp6", "v6")] {
            guard let bytes = try ifPresent({ () throws(FileSystemError) in try procFS.read(file) }) else {
                missing += 1
                continue
            }
            let summary = SocketQueueSummary.parse(bytes)
            procFS.tally?.record(summary.malformedLines, in: procFS.path(file))
            family.add(Double(summary.transmitQueueBytes), Label("queue", "tx"), Label("ip", ip))
            family.add(Double(summary.receiveQueueBytes), Label("queue", "rx"), Label("ip", ip))
        }
        if missing == 2 { throw CollectorError.noData("neither /proc/net/udp nor udp6 exists") }
        return [family]
    }
}

/// `schedstat`: per-CPU scheduler statistics from /proc/schedstat.
struct SchedstatCollector: Collector {
    let procFS: ProcFS

    func collect() throws -> [MetricFamily] {
        guard let bytes = try ifPresent({ () throws(FileSystemError) in try procFS.read("schedstat") }) else {
            throw CollectorError.noData("schedstat file does not exist")
        }
        let stat = Schedstat.parse(bytes)
        procFS.tally?.record(stat.malformedLines, in: procFS.path("schedstat"))
        var running = MetricFamily.counter(
            "node_schedstat_running_seconds_total", "Number of seconds CPU spent running a process.")
        var waiting = MetricFamily.counter(
            "node_schedstat_waiting_seconds_total", "Number of seconds spent by processing waiting for this CPU.")
        var slices = MetricFamily.counter("node_schedstat_timeslices_total", "Number of timeslices executed by CPU.")
        for cpu in stat.cpus {
            running.add(Double(cpu.runningNanoseconds) / 1e9, Label("cpu", cpu.cpu))
            waiting.add(Double(cpu.waitingNanoseconds) / 1e9, Label("cpu", cpu.cpu))
            slices.add(Double(cpu.timeslices), Label("cpu", cpu.cpu))
        }
        return [running, waiting, slices]
    }
}
