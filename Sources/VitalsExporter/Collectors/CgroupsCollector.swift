import Logging
import VitalsExposition
import VitalsProcFS
import VitalsSystem

/// `cgroups`: per-container CPU, memory, block IO, tasks, pressure and network, under cAdvisor's
/// metric and label names, so that cAdvisor's dashboards and queries work on vitals-exporter alone.
///
/// Containers come from the engines' on-disk state (`EngineContainers`); each one's figures from
/// the cgroup of a process in it (`/proc/<pid>/cgroup`), which works for cgroup v1, v2 and the
/// hybrid layout, and for both the cgroupfs and systemd drivers, without walking the tree.
struct CgroupsCollector: ConfigurableCollector {
    typealias Options = CgroupsOptions
    static let name = "cgroups"
    static let enabledByDefault = false

    /// The compose labels every series carries, under cAdvisor's `container_label_` names.
    static let composeLabels = [
        ("com.docker.compose.project", "container_label_com_docker_compose_project"),
        ("com.docker.compose.service", "container_label_com_docker_compose_service"),
    ]

    let procFS: ProcFS
    let sysFS: SysFS
    let engines: EngineContainers
    let logger: Logger

    init(configuration: ExporterConfiguration, logger: Logger) throws(ConfigurationError) {
        let options = try CgroupsOptions(flags: configuration.flags)
        procFS = configuration.procFS
        sysFS = configuration.sysFS
        engines = EngineContainers(
            dockerRoot: configuration.rootFSPath(options.dockerRoot),
            podmanRoot: configuration.rootFSPath(options.podmanRoot))
        self.logger = logger
    }

    func collect() throws -> [MetricFamily] {
        var families = ContainerFamilies()
        let (containers, unreadable) = engines.running()
        if unreadable > 0 {
            logger.debug("skipped unreadable engine state files", metadata: ["count": "\(unreadable)"])
        }
        let unifiedRoot = sysFS.unifiedCgroupRoot()
        for container in containers {
            // A container that stopped since the engine wrote its state has no process or cgroup.
            guard let cgroups = try? procFS.processCgroups(pid: container.pid), let id = cgroups.identity,
                let stats = sysFS.cgroupStats(cgroups, unifiedRoot: unifiedRoot)
            else { continue }
            procFS.tally?.record(stats.malformedLines, in: sysFS.path("fs/cgroup") + id)
            var labels = [Label("id", id), Label("image", container.image), Label("name", container.name)]
            for (key, label) in Self.composeLabels { labels.append(Label(label, container.labels[key] ?? "")) }
            families.add(stats, labels: labels, devices: { sysFS.blockDeviceName(major: $0, minor: $1) })
            if let network = try? procFS.netDev(pid: container.pid) { families.add(network, labels: labels) }
        }
        return families.all
    }
}

struct CgroupsOptions: CollectorOptions {
    static let dockerRootFlag = CollectorFlag.value(
        "collector.cgroups.docker-root", default: "/var/lib/docker",
        help: "Docker's data root, where containers/<id>/config.v2.json names each container (under --path.rootfs).")
    static let podmanRootFlag = CollectorFlag.value(
        "collector.cgroups.podman-root", default: "/var/lib/containers/storage",
        help:
            "Podman's storage root, where overlay-containers/containers.json names each container (under --path.rootfs)."
    )
    static let flags = [dockerRootFlag, podmanRootFlag]

    var dockerRoot: String
    var podmanRoot: String

    init(flags: CollectorFlagValues) throws(ConfigurationError) {
        dockerRoot = flags.value(Self.dockerRootFlag) ?? "/var/lib/docker"
        podmanRoot = flags.value(Self.podmanRootFlag) ?? "/var/lib/containers/storage"
    }
}
