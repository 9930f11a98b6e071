/// `/proc/<pid>/cgroup`: which cgroup a process is in, per v1 hierarchy and in the unified (v2) one.
///
/// Lines are `ID:CONTROLLERS:PATH`; v2's is `0::PATH`. A host may run v1 controllers with an
/// empty unified tree beside them (the hybrid layout), v2 alone, or v1 alone.
public struct ProcessCgroups: Sendable, Hashable {
    /// The path per v1 controller (`memory`, `cpu`, `cpuacct`, `blkio`, `pids`, …).
    public var controllers: [String: String] = [:]
    /// The path in the unified hierarchy, when the process has one.
    public var unified: String?
    public var malformedLines = 0

    public init() {}

    public static func parse(_ bytes: [UInt8]) -> ProcessCgroups {
        var cgroups = ProcessCgroups()
        ByteText.forEachLine(bytes) { line in
            guard !line.isEmpty else { return }
            guard let first = line.firstIndex(of: UInt8(ascii: ":")),
                let second = line[(first + 1)...].firstIndex(of: UInt8(ascii: ":"))
            else {
                cgroups.malformedLines += 1
                return
            }
            let names = line[(first + 1)..<second]
            let path = ByteText.string(line[(second + 1)...])
            guard path.hasPrefix("/") else {
                cgroups.malformedLines += 1
                return
            }
            if ByteText.equals(line[..<first], "0"), names.isEmpty {
                cgroups.unified = path
                return
            }
            for name in names.split(separator: UInt8(ascii: ",")) {
                let controller = ByteText.string(name)
                // Named hierarchies (name=systemd) hold no resource files.
                if !controller.hasPrefix("name=") { cgroups.controllers[controller] = path }
            }
        }
        return cgroups
    }

    /// The path that names the container's cgroup, as cAdvisor's `id` label: the memory
    /// controller's on v1, the unified path on v2.
    public var identity: String? { controllers["memory"] ?? unified ?? controllers.values.min() }
}
