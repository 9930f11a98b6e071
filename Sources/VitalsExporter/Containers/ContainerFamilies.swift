import VitalsExposition
import VitalsProcFS

/// The `container_*` families of the cgroups collector, with cAdvisor's names, help and units.
struct ContainerFamilies {
    var cpuUsage = MetricFamily.counter("container_cpu_usage_seconds_total", "Cumulative cpu time consumed in seconds.")
    var cpuUser = MetricFamily.counter(
        "container_cpu_user_seconds_total", "Cumulative user cpu time consumed in seconds.")
    var cpuSystem = MetricFamily.counter(
        "container_cpu_system_seconds_total", "Cumulative system cpu time consumed in seconds.")
    var cfsPeriods = MetricFamily.counter(
        "container_cpu_cfs_periods_total", "Number of elapsed enforcement period intervals.")
    var cfsThrottledPeriods = MetricFamily.counter(
        "container_cpu_cfs_throttled_periods_total", "Number of throttled period intervals.")
    var cfsThrottledSeconds = MetricFamily.counter(
        "container_cpu_cfs_throttled_seconds_total", "Total time duration the container has been throttled.")

    var memoryUsage = MetricFamily.gauge(
        "container_memory_usage_bytes",
        "Current memory usage in bytes, including all memory regardless of when it was accessed")
    var workingSet = MetricFamily.gauge("container_memory_working_set_bytes", "Current working set in bytes.")
    var rss = MetricFamily.gauge("container_memory_rss", "Size of RSS in bytes.")
    var cache = MetricFamily.gauge("container_memory_cache", "Number of bytes of page cache memory.")
    var swap = MetricFamily.gauge("container_memory_swap", "Container swap usage in bytes.")
    var failcnt = MetricFamily.counter("container_memory_failcnt", "Number of memory usage hits limits")
    var memoryLimit = MetricFamily.gauge(
        "container_spec_memory_limit_bytes", "Memory limit for the container (0 when unlimited).")
    var oomEvents = MetricFamily.counter(
        "container_oom_events_total", "Count of out of memory events observed for the container")

    var readBytes = MetricFamily.counter("container_fs_reads_bytes_total", "Cumulative count of bytes read")
    var writeBytes = MetricFamily.counter("container_fs_writes_bytes_total", "Cumulative count of bytes written")
    var reads = MetricFamily.counter("container_fs_reads_total", "Cumulative count of reads completed")
    var writes = MetricFamily.counter("container_fs_writes_total", "Cumulative count of writes completed")

    var threads = MetricFamily.gauge("container_threads", "Number of threads running inside the container")
    var threadsMax = MetricFamily.gauge(
        "container_threads_max", "Maximum number of threads allowed inside the container, infinity if value is zero")

    var cpuWaiting = MetricFamily.counter(
        "container_pressure_cpu_waiting_seconds_total",
        "Total time duration tasks in the container have waited due to CPU congestion.")
    var cpuStalled = MetricFamily.counter(
        "container_pressure_cpu_stalled_seconds_total",
        "Total time duration no tasks in the container could make progress due to CPU congestion.")
    var memoryWaiting = MetricFamily.counter(
        "container_pressure_memory_waiting_seconds_total",
        "Total time duration tasks in the container have waited due to memory congestion.")
    var memoryStalled = MetricFamily.counter(
        "container_pressure_memory_stalled_seconds_total",
        "Total time duration no tasks in the container could make progress due to memory congestion.")
    var ioWaiting = MetricFamily.counter(
        "container_pressure_io_waiting_seconds_total",
        "Total time duration tasks in the container have waited due to IO congestion.")
    var ioStalled = MetricFamily.counter(
        "container_pressure_io_stalled_seconds_total",
        "Total time duration no tasks in the container could make progress due to IO congestion.")

    var receiveBytes = MetricFamily.counter(
        "container_network_receive_bytes_total", "Cumulative count of bytes received")
    var receivePackets = MetricFamily.counter(
        "container_network_receive_packets_total", "Cumulative count of packets received")
    var receiveErrors = MetricFamily.counter(
        "container_network_receive_errors_total", "Cumulative count of errors encountered while receiving")
    var receiveDropped = MetricFamily.counter(
        "container_network_receive_packets_dropped_total", "Cumulative count of packets dropped while receiving")
    var transmitBytes = MetricFamily.counter(
        "container_network_transmit_bytes_total", "Cumulative count of bytes transmitted")
    var transmitPackets = MetricFamily.counter(
        "container_network_transmit_packets_total", "Cumulative count of packets transmitted")
    var transmitErrors = MetricFamily.counter(
        "container_network_transmit_errors_total", "Cumulative count of errors encountered while transmitting")
    var transmitDropped = MetricFamily.counter(
        "container_network_transmit_packets_dropped_total", "Cumulative count of packets dropped while transmitting")

    /// One container's cgroup figures; `devices` names a block device by its numbers.
    mutating func add(_ stats: CgroupStats, labels: [Label], devices: (Int, Int) -> String?) {
        func put(_ family: inout MetricFamily, _ value: Double?, _ extra: [Label] = []) {
            if let value { family.add(value, labels: labels + extra) }
        }
        put(&cpuUsage, stats.cpuUsageSeconds, [Label("cpu", "total")])
        put(&cpuUser, stats.cpuUserSeconds)
        put(&cpuSystem, stats.cpuSystemSeconds)
        put(&cfsPeriods, stats.cfsPeriods.map { Double($0) })
        put(&cfsThrottledPeriods, stats.cfsThrottledPeriods.map { Double($0) })
        put(&cfsThrottledSeconds, stats.cfsThrottledSeconds)
        put(&memoryUsage, stats.memoryUsage.map { Double($0) })
        put(&workingSet, stats.memoryWorkingSet.map { Double($0) })
        put(&rss, stats.memoryRSS.map { Double($0) })
        put(&cache, stats.memoryCache.map { Double($0) })
        put(&swap, stats.memorySwap.map { Double($0) })
        put(&failcnt, stats.memoryFailcnt.map { Double($0) })
        if stats.memoryUsage != nil { put(&memoryLimit, Double(stats.memoryLimit ?? 0)) }
        put(&oomEvents, stats.oomKills.map { Double($0) })
        for device in stats.blockIO {
            let extra = [
                Label("device", devices(device.major, device.minor) ?? "\(device.major):\(device.minor)"),
                Label("major", String(device.major)), Label("minor", String(device.minor)),
            ]
            put(&readBytes, Double(device.readBytes), extra)
            put(&writeBytes, Double(device.writeBytes), extra)
            put(&reads, Double(device.reads), extra)
            put(&writes, Double(device.writes), extra)
        }
        put(&threads, stats.tasks.map { Double($0) })
        if stats.tasks != nil { put(&threadsMax, Double(stats.tasksLimit ?? 0)) }
        put(&cpuWaiting, stats.cpuPressure?.someTotal.map(Self.seconds))
        put(&cpuStalled, stats.cpuPressure?.fullTotal.map(Self.seconds))
        put(&memoryWaiting, stats.memoryPressure?.someTotal.map(Self.seconds))
        put(&memoryStalled, stats.memoryPressure?.fullTotal.map(Self.seconds))
        put(&ioWaiting, stats.ioPressure?.someTotal.map(Self.seconds))
        put(&ioStalled, stats.ioPressure?.fullTotal.map(Self.seconds))
    }

    /// The interfaces of the container's network namespace, loopback left out as cAdvisor does.
    mutating func add(_ network: NetDev, labels: [Label]) {
        for interface in network.interfaces where interface.name != "lo" {
            let labels = labels + [Label("interface", interface.name)]
            receiveBytes.add(Double(interface.receiveBytes), labels: labels)
            receivePackets.add(Double(interface.receivePackets), labels: labels)
            receiveErrors.add(Double(interface.receiveErrors), labels: labels)
            receiveDropped.add(Double(interface.receiveDropped), labels: labels)
            transmitBytes.add(Double(interface.transmitBytes), labels: labels)
            transmitPackets.add(Double(interface.transmitPackets), labels: labels)
            transmitErrors.add(Double(interface.transmitErrors), labels: labels)
            transmitDropped.add(Double(interface.transmitDropped), labels: labels)
        }
    }

    static func seconds(_ microseconds: UInt64) -> Double { Double(microseconds) / 1e6 }

    var all: [MetricFamily] {
        [
            cpuUsage, cpuUser, cpuSystem, cfsPeriods, cfsThrottledPeriods, cfsThrottledSeconds, memoryUsage,
            workingSet, rss, cache, swap, failcnt, memoryLimit, oomEvents, readBytes, writeBytes, reads, writes,
            threads, threadsMax, cpuWaiting, cpuStalled, memoryWaiting, memoryStalled, ioWaiting, ioStalled,
            receiveBytes, receivePackets, receiveErrors, receiveDropped, transmitBytes, transmitPackets,
            transmitErrors, transmitDropped,
        ].filter { !$0.metrics.isEmpty }
    }
}
