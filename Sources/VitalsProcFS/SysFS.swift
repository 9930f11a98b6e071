import VitalsSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The root of a sysfs mount, `/sys` unless the exporter runs with `--path.sysfs`.
public struct SysFS: Sendable, Hashable {
    public var root: String

    public init(root: String = "/sys") {
        self.root = root
    }

    /// The absolute path of a file below the root.
    public func path(_ components: String...) -> String {
        var result = root
        for component in components { appendPathComponent(&result, component) }
        return result
    }

    /// Names of the network interfaces in `class/net`.
    public func netClassDevices() throws(FileSystemError) -> [String] {
        try FileAccess.listDirectory(path("class/net")).filter { $0.kind != .regular }.map(\.name)
    }

    /// The attributes of one interface in `class/net/<name>`.
    ///
    /// Only the attributes node_exporter uses are read, by name: listing the directory and opening
    /// every file in it (statistics/, uevent, …) would cost a sysfs lookup each, every scrape.
    public func netClassInterface(_ name: String) throws(FileSystemError) -> NetClassInterface {
        var interface = NetClassInterface(name: name)
        try FileAccess.forEachAttribute(in: path("class/net", name), NetClassInterface.attributes) { index, value in
            interface.set(NetClassInterface.attributeCases[index], value)
        }
        return interface
    }

    /// The clock sources in `devices/system/clocksource`.
    public func clockSources() throws(FileSystemError) -> [ClockSource] {
        let directory = path("devices/system/clocksource")
        var sources: [ClockSource] = []
        for entry in try FileAccess.listDirectory(directory) where entry.name.hasPrefix("clocksource") {
            guard let number = Int(entry.name.dropFirst("clocksource".count)) else { continue }
            let base = joinPath(directory, entry.name)
            let available = try FileAccess.readAttribute(joinPath(base, "available_clocksource"))
            let current = try FileAccess.readAttribute(joinPath(base, "current_clocksource"))
            sources.append(
                ClockSource(
                    number: number, available: available.split(separator: " ").map(String.init), current: current))
        }
        sources.sort { $0.number < $1.number }
        return sources
    }

    /// The logical CPUs in `devices/system/cpu` (`cpu0`, `cpu1`, …), sorted by number.
    public func cpuNumbers() throws(FileSystemError) -> [Int] {
        try FileAccess.listDirectory(path("devices/system/cpu")).compactMap { entry in
            guard entry.name.hasPrefix("cpu") else { return nil }
            return Int(entry.name.dropFirst(3))
        }.sorted()
    }

    /// Topology and thermal-throttle counters of one CPU; nil fields where the kernel lacks the file.
    public func cpuTopology(_ number: Int) -> CPUTopology {
        let base = path("devices/system/cpu", "cpu\(number)")
        let files = [
            "topology/physical_package_id", "topology/core_id", "thermal_throttle/core_throttle_count",
            "thermal_throttle/package_throttle_count", "online",
        ]
        let values = Dictionary(
            ((try? FileAccess.readAttributes(in: base, files)) ?? []).map { ($0.name, $0.value) },
            uniquingKeysWith: { first, _ in first })
        func integer(_ relative: String) -> UInt64? { values[relative].flatMap { UInt64($0) } }
        return CPUTopology(
            number: number, physicalPackageID: integer("topology/physical_package_id"),
            coreID: integer("topology/core_id"),
            coreThrottleCount: integer("thermal_throttle/core_throttle_count"),
            packageThrottleCount: integer("thermal_throttle/package_throttle_count"),
            online: integer("online").map { $0 == 1 })
    }

    /// The CPUs listed in `devices/system/cpu/isolated`.
    public func isolatedCPUs() throws -> [Int] {
        try CPUList.parse(FileAccess.readAttribute(path("devices/system/cpu/isolated")))
    }

    /// `block/<device>/queue/rotational` as a boolean.
    public func blockDeviceIsRotational(_ device: String) -> Bool? {
        guard let text = try? FileAccess.readAttribute(path("block", device, "queue/rotational")) else { return nil }
        return text == "1"
    }
}

/// One `clocksourceN` directory.
public struct ClockSource: Sendable, Hashable {
    public var number: Int
    public var available: [String]
    public var current: String
}

/// What sysfs says about one logical CPU.
public struct CPUTopology: Sendable, Hashable {
    public var number: Int
    public var physicalPackageID: UInt64?
    public var coreID: UInt64?
    public var coreThrottleCount: UInt64?
    public var packageThrottleCount: UInt64?
    /// nil when the CPU has no `online` file (cpu0 usually does not).
    public var online: Bool?
}
