import VitalsSystem

/// Readers for the device classes node_exporter's hardware collectors use.
extension SysFS {
    /// One CPU's `cpufreq` directory; nil fields where the file is missing or unreadable.
    public struct CPUFrequency: Sendable, Hashable {
        public var cpu: String
        public var currentKHz: UInt64?
        public var averageKHz: UInt64?
        public var minimumKHz: UInt64?
        public var maximumKHz: UInt64?
        public var scalingCurrentKHz: UInt64?
        public var scalingMinimumKHz: UInt64?
        public var scalingMaximumKHz: UInt64?
        public var governor = ""
        public var availableGovernors = ""
    }

    /// `devices/system/cpu/cpu*/cpufreq` for every online CPU that has one.
    public func cpuFrequencies() throws -> [CPUFrequency] {
        var offline: Set<Int> = []
        if let text = try? FileAccess.readAttribute(path("devices/system/cpu/offline")), !text.isEmpty {
            offline = Set(try CPUList.parse(text))
        }
        var result: [CPUFrequency] = []
        for number in try cpuNumbers() where !offline.contains(number) {
            let base = path("devices/system/cpu", "cpu\(number)", "cpufreq")
            guard FileAccess.isDirectory(base) else { continue }
            func integer(_ file: String) throws -> UInt64? {
                do {
                    return UInt64(try FileAccess.readAttribute(joinPath(base, file)))
                } catch {
                    if error.isNotFound || error.errorNumber == 13 { return nil }  // EACCES: root-only files
                    throw error
                }
            }
            var frequency = CPUFrequency(cpu: String(number))
            frequency.currentKHz = try integer("cpuinfo_cur_freq")
            frequency.averageKHz = try integer("cpuinfo_avg_freq")
            frequency.maximumKHz = try integer("cpuinfo_max_freq")
            frequency.minimumKHz = try integer("cpuinfo_min_freq")
            frequency.scalingCurrentKHz = try integer("scaling_cur_freq")
            frequency.scalingMaximumKHz = try integer("scaling_max_freq")
            frequency.scalingMinimumKHz = try integer("scaling_min_freq")
            frequency.governor = (try? FileAccess.readAttribute(joinPath(base, "scaling_governor"))) ?? ""
            frequency.availableGovernors =
                (try? FileAccess.readAttribute(joinPath(base, "scaling_available_governors"))) ?? ""
            result.append(frequency)
        }
        return result
    }

    /// One `class/thermal/thermal_zoneN`.
    public struct ThermalZone: Sendable, Hashable {
        public var name: String
        public var type: String
        /// Millidegrees Celsius.
        public var temperature: Int64
    }

    /// The thermal zones; a zone whose required files cannot be read is skipped.
    public func thermalZones() throws(FileSystemError) -> [ThermalZone] {
        let directory = path("class/thermal")
        var zones: [ThermalZone] = []
        for entry in try FileAccess.listDirectory(directory) where entry.name.hasPrefix("thermal_zone") {
            let name = String(entry.name.dropFirst("thermal_zone".count))
            guard Int(name) != nil else { continue }
            let base = joinPath(directory, entry.name)
            guard let type = try? FileAccess.readAttribute(joinPath(base, "type")),
                let text = try? FileAccess.readAttribute(joinPath(base, "temp")), let temperature = Int64(text)
            else { continue }
            zones.append(ThermalZone(name: name, type: type, temperature: temperature))
        }
        return zones
    }

    /// One `class/thermal/cooling_deviceN`.
    public struct CoolingDevice: Sendable, Hashable {
        public var name: String
        public var type: String
        public var currentState: Int64
        public var maximumState: Int64
    }

    public func coolingDevices() throws(FileSystemError) -> [CoolingDevice] {
        let directory = path("class/thermal")
        var devices: [CoolingDevice] = []
        for entry in try FileAccess.listDirectory(directory) where entry.name.hasPrefix("cooling_device") {
            let name = String(entry.name.dropFirst("cooling_device".count))
            guard Int(name) != nil else { continue }
            let base = joinPath(directory, entry.name)
            guard let type = try? FileAccess.readAttribute(joinPath(base, "type")),
                let maximum = (try? FileAccess.readAttribute(joinPath(base, "max_state"))).flatMap({ Int64($0) }),
                let current = (try? FileAccess.readAttribute(joinPath(base, "cur_state"))).flatMap({ Int64($0) })
            else { continue }
            devices.append(CoolingDevice(name: name, type: type, currentState: current, maximumState: maximum))
        }
        return devices
    }

    /// One `class/power_supply/<name>`: every regular attribute file, trimmed.
    public struct PowerSupply: Sendable, Hashable {
        public var name: String
        public var attributes: [String: String]
    }

    public func powerSupplies() throws(FileSystemError) -> [PowerSupply] {
        let directory = path("class/power_supply")
        var supplies: [PowerSupply] = []
        for entry in try FileAccess.listDirectory(directory) {
            let base = joinPath(directory, entry.name)
            var attributes: [String: String] = [:]
            for file in (try? FileAccess.listDirectory(base)) ?? [] where file.kind == .regular {
                if let value = try? FileAccess.readAttribute(joinPath(base, file.name)) {
                    attributes[file.name] = value
                }
            }
            supplies.append(PowerSupply(name: entry.name, attributes: attributes))
        }
        return supplies
    }
}

extension SysFS {
    /// An interface's `ifalias`, or nil when it has none readable.
    public func interfaceAlias(_ device: String) -> String? {
        try? FileAccess.readAttribute(path("class/net", device, "ifalias"))
    }

    /// SELinux's current mode (/sys/fs/selinux/enforce: 1 enforcing, 0 permissive); nil when SELinux is off.
    public func selinuxEnforce() -> Double? {
        (try? FileAccess.readAttribute(path("fs/selinux/enforce"))).flatMap { Double($0) }
    }
}
