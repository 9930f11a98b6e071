import Logging
import Testing
import VitalsExposition
import VitalsProcFS
import VitalsTestSupport

@testable import VitalsExporter

/// The cgroups collector on two host layouts: cgroup v1 as this build machine runs it (recorded
/// from a real Docker container, Tests/Fixtures/cgroups/v1-docker), and cgroup v2 with the systemd
/// driver, Docker and Podman (written from the kernel's cgroup-v2 documentation). Every expected
/// figure is worked out from the fixture files by hand, as the comments show.
@Suite struct CgroupsCollectorTests {
    static func collect(_ tree: String) throws -> [MetricFamily] {
        let root = TestPaths.packageRoot + "/Tests/Fixtures/cgroups/" + tree
        var configuration = ExporterConfiguration()
        configuration.procFS = ProcFS(root: root + "/proc")
        configuration.sysFS = SysFS(root: root + "/sys")
        configuration.rootFS = root + "/rootfs"
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try CgroupsCollector(configuration: configuration, logger: logger).collect()
    }

    /// The value of `name` for the container `container` (and any `extra` labels).
    static func value(
        _ families: [MetricFamily], _ name: String, _ container: String, _ extra: [String: String] = [:]
    ) -> Double? {
        let family = families.first { $0.name == name }
        let metric = family?.metrics.first { metric in
            metric.labels.contains(Label("name", container))
                && extra.allSatisfy { metric.labels.contains(Label($0.key, $0.value)) }
        }
        guard case .sample(let value) = metric?.value else { return nil }
        return value
    }

    @Test func cgroupV1AsThisMachineRunsIt() throws {
        let families = try Self.collect("v1-docker")
        func value(_ name: String, _ extra: [String: String] = [:]) -> Double? {
            Self.value(families, name, "rec1", extra)
        }
        let labels = try #require(families.first { $0.name == "container_memory_usage_bytes" }?.metrics.first?.labels)
        #expect(
            labels == [
                Label("id", "/docker/9a2634f86ab3c1b3eaef895d7a5a3498b435963dfd735152631de3cd39847c32"),
                Label("image", "vitals-test/tiny"), Label("name", "rec1"),
                Label("container_label_com_docker_compose_project", "chat"),
                Label("container_label_com_docker_compose_service", "worker"),
            ])
        // memory.usage_in_bytes; minus total_inactive_file 8388608 for the working set.
        #expect(value("container_memory_usage_bytes") == 9_441_280)
        #expect(value("container_memory_working_set_bytes") == 1_052_672)
        #expect(value("container_memory_rss") == 110_592)  // total_rss
        #expect(value("container_memory_cache") == 8_413_184)  // total_cache
        #expect(value("container_memory_swap") == 0)  // memsw.usage_in_bytes − usage_in_bytes
        #expect(value("container_spec_memory_limit_bytes") == 67_108_864)  // docker run -m 64m
        #expect(value("container_memory_failcnt") == 0)
        #expect(value("container_oom_events_total") == 0)  // oom_kill of memory.oom_control
        // cpuacct.usage in ns; cpuacct.stat in USER_HZ; cpu.stat for the quota (--cpus 0.5).
        #expect(value("container_cpu_usage_seconds_total", ["cpu": "total"]) == 2.524258863)
        #expect(value("container_cpu_user_seconds_total") == 2.42)
        #expect(value("container_cpu_system_seconds_total") == 0.09)
        #expect(value("container_cpu_cfs_periods_total") == 121)
        #expect(value("container_cpu_cfs_throttled_periods_total") == 38)
        #expect(value("container_cpu_cfs_throttled_seconds_total") == 1.421643185)
        #expect(value("container_threads") == 2 && value("container_threads_max") == 100)
        // Pressure comes from the unified tree beside the v1 controllers (microseconds).
        #expect(value("container_pressure_cpu_waiting_seconds_total") == 1.401309)
        #expect(value("container_pressure_cpu_stalled_seconds_total") == 1.399442)
        #expect(value("container_pressure_io_waiting_seconds_total") == 0.005121)
        #expect(value("container_pressure_memory_waiting_seconds_total") == 0)
        #expect(value("container_network_receive_bytes_total", ["interface": "eth0"]) == 806)
        #expect(value("container_network_receive_packets_total", ["interface": "eth0"]) == 9)
        // blkio.throttle.* held only "Total 0": no device, no series.
        #expect(!families.contains { $0.name == "container_fs_reads_bytes_total" })
    }

    @Test func cgroupV2WithTheSystemdDriverDockerAndPodman() throws {
        let families = try Self.collect("v2-systemd")
        func value(_ name: String, _ extra: [String: String] = [:]) -> Double? {
            Self.value(families, name, "chat-backend-1", extra)
        }
        let ids = Set(families.flatMap(\.metrics).compactMap { $0.labels.first { $0.name == "id" }?.value })
        #expect(
            ids == [
                "/system.slice/docker-4f1c0ffee0ddba11ab1ec0de5eed0123456789abcdef0123456789abcdef0123.scope",
                "/machine.slice/libpod-9b7e.scope/container",
            ])
        // The stopped container (Running false) is not reported.
        #expect(!families.flatMap(\.metrics).contains { $0.labels.contains(Label("name", "chat-migrate-1")) })
        // cpu.stat in microseconds.
        #expect(value("container_cpu_usage_seconds_total", ["cpu": "total"]) == 7.25)
        #expect(value("container_cpu_user_seconds_total") == 5)
        #expect(value("container_cpu_system_seconds_total") == 2.25)
        #expect(value("container_cpu_cfs_periods_total") == 1200)
        #expect(value("container_cpu_cfs_throttled_periods_total") == 300)
        #expect(value("container_cpu_cfs_throttled_seconds_total") == 45)
        // memory.current 200 MiB − inactive_file 60 MiB; anon and file from memory.stat.
        #expect(value("container_memory_usage_bytes") == 209_715_200)
        #expect(value("container_memory_working_set_bytes") == 146_800_640)
        #expect(value("container_memory_rss") == 104_857_600)
        #expect(value("container_memory_cache") == 94_371_840)
        #expect(value("container_memory_swap") == 1_048_576)
        #expect(value("container_spec_memory_limit_bytes") == 268_435_456)
        #expect(value("container_memory_failcnt") == 17)  // the max events of memory.events
        #expect(value("container_oom_events_total") == 1)  // its oom_kill
        // io.stat, per device: 8:0 is sda through /sys/dev/block; 253:0 has no name there.
        let sda = ["device": "/dev/sda", "major": "8", "minor": "0"]
        #expect(value("container_fs_reads_bytes_total", sda) == 4_194_304)
        #expect(value("container_fs_writes_bytes_total", sda) == 16_777_216)
        #expect(value("container_fs_reads_total", sda) == 128)
        #expect(value("container_fs_writes_total", sda) == 512)
        #expect(value("container_fs_reads_bytes_total", ["device": "253:0"]) == 1_048_576)
        #expect(value("container_threads") == 12 && value("container_threads_max") == 512)
        #expect(value("container_pressure_cpu_waiting_seconds_total") == 3)
        #expect(value("container_pressure_cpu_stalled_seconds_total") == 1)
        #expect(value("container_pressure_memory_stalled_seconds_total") == 0.125)
        #expect(value("container_pressure_io_waiting_seconds_total") == 0.04)
        // eth0 of the container's network namespace; lo is left out.
        let eth0 = ["interface": "eth0"]
        #expect(value("container_network_receive_bytes_total", eth0) == 524_288)
        #expect(value("container_network_receive_errors_total", eth0) == 1)
        #expect(value("container_network_receive_packets_dropped_total", eth0) == 2)
        #expect(value("container_network_transmit_packets_total", eth0) == 300)
        #expect(value("container_network_transmit_packets_dropped_total", eth0) == 4)
        #expect(value("container_network_receive_bytes_total", ["interface": "lo"]) == nil)

        // Podman: its name and image from containers.json; unlimited memory and tasks read as 0.
        #expect(Self.value(families, "container_memory_working_set_bytes", "redis") == 917_504)
        #expect(Self.value(families, "container_spec_memory_limit_bytes", "redis") == 0)
        #expect(Self.value(families, "container_threads_max", "redis") == 0)
        #expect(Self.value(families, "container_cpu_usage_seconds_total", "redis") == 0.001)
        #expect(Self.value(families, "container_oom_events_total", "redis") == nil)
        let redis = try #require(
            families.first { $0.name == "container_memory_usage_bytes" }?.metrics.first {
                $0.labels.contains(Label("name", "redis"))
            })
        #expect(redis.labels.contains(Label("image", "docker.io/library/redis:7")))
        #expect(redis.labels.contains(Label("container_label_com_docker_compose_project", "")))
    }

    @Test func noEngineStateMeansNoContainersNotAFailure() throws {
        #expect(try Self.collect("absent").isEmpty)
    }

    @Test func malformedCgroupLinesAreSkippedAndCounted() {
        let cgroups = ProcessCgroups.parse(Array("garbage\n4:memory:/docker/a\n0::relative\n0::/docker/a\n".utf8))
        #expect(cgroups.controllers == ["memory": "/docker/a"] && cgroups.unified == "/docker/a")
        #expect(cgroups.malformedLines == 2)
        var stats = CgroupStats()
        stats.parseBlkio(Array("8:0 Read 4096\n8:0 Write 8192\n8:16 Read x\nTotal 12288\n".utf8), operations: false)
        #expect(stats.blockIO.map(\.readBytes) == [4096] && stats.blockIO.map(\.writeBytes) == [8192])
        #expect(stats.malformedLines == 1)
        // Found by fuzz-procfs: a device number past Int.max trapped.
        stats.parseIOStat(Array("8:16 rbytes=1 wbytes=nope\nbad line\n9223372036854775808:0 rbytes=1\n".utf8))
        #expect(stats.blockIO.map(\.minor) == [0, 16])
        #expect(stats.malformedLines == 4)
    }
}
