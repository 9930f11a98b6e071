import VitalsProcFS
import VitalsSystem

/// Everything the collectors need to know, resolved from node_exporter's flags.
public struct ExporterConfiguration: Sendable {
    public var procFS = ProcFS()
    public var sysFS = SysFS()
    /// The host's root as seen by the exporter (`/host` in a container).
    public var rootFS = "/"
    public var udevDataPath = "/run/udev/data"

    /// The collectors that will run (the CPU collector's output depends on whether cpufreq does).
    public var enabledCollectors: Set<String> = []
    /// Collectors' own flags; each collector reads its options from them.
    public var flags = CollectorFlagValues()

    public init() {}

    /// A path on the host's root filesystem (`--path.rootfs` + path).
    public func rootFSPath(_ path: String) -> String {
        rootFS == "/" ? path : joinPath(rootFS, path)
    }

    /// A mount point as the host sees it: `--path.rootfs` stripped, as node_exporter's `rootfsStripPrefix`.
    public func stripRootFS(_ path: String) -> String {
        guard rootFS != "/" else { return path }
        let prefix = rootFS.hasSuffix("/") ? String(rootFS.dropLast()) : rootFS
        guard path.hasPrefix(prefix) else { return path }
        let stripped = String(path.dropFirst(prefix.count))
        return stripped.isEmpty ? "/" : stripped
    }
}
