import Logging
import VitalsExposition
import VitalsProcFS
import VitalsSystem

/// `selinux`: whether SELinux is enabled and its configured and current enforcement modes.
struct SELinuxCollector: Collector {
    let sysFS: SysFS
    let configuration: ExporterConfiguration

    func collect() throws -> [MetricFamily] {
        guard let current = sysFS.selinuxEnforce() else {
            return [.single("node_selinux_enabled", "SELinux is enabled, 1 is true, 0 is false", .gauge, 0)]
        }
        return [
            .single("node_selinux_enabled", "SELinux is enabled, 1 is true, 0 is false", .gauge, 1),
            .single("node_selinux_config_mode", "Configured SELinux enforcement mode", .gauge, configuredMode()),
            .single("node_selinux_current_mode", "Current SELinux enforcement mode", .gauge, current),
        ]
    }

    /// `SELINUX=` in /etc/selinux/config: enforcing 1, permissive 0, disabled -1.
    private func configuredMode() -> Double {
        guard let bytes = try? FileAccess.read(configuration.rootFSPath("/etc/selinux/config")) else { return -1 }
        switch OSRelease.parse(bytes)["SELINUX"] {
        case "enforcing": return 1
        case "permissive": return 0
        default: return -1
        }
    }
}

extension SELinuxCollector: CollectorDefinition {
    static let name = "selinux"
    static let enabledByDefault = true

    init(configuration: ExporterConfiguration, logger: Logger) {
        self.init(sysFS: configuration.sysFS, configuration: configuration)
    }
}
