import VitalsSystem

/// One chip under /sys/class/hwmon: where it is, what names it offers, and its sensor files.
/// Which name a chip is exposed under is node_exporter's rule, left to the collector.
public struct HwmonChip: Sendable, Hashable {
    /// `/sys/class/hwmon/hwmon0`.
    public var path: String
    /// The `device` link resolved (`/sys/devices/platform/coretemp.0`), when there is one.
    public var devicePath: String?
    /// The chip directory resolved, for chips without a device.
    public var realPath: String?
    /// The `name` attribute, trimmed; nil when absent.
    public var name: String?
    /// Sensor attributes of the chip and of its `device` directory, by file name (`temp1_input`).
    public var sensors: [String: String]

    public init(
        path: String, devicePath: String? = nil, realPath: String? = nil, name: String? = nil,
        sensors: [String: String] = [:]
    ) {
        self.path = path
        self.devicePath = devicePath
        self.realPath = realPath
        self.name = name
        self.sensors = sensors
    }
}

extension SysFS {
    /// Every hwmon chip, with the sensor files `isSensor` picks read (a file under `device` wins
    /// over the same file in the chip directory, as node_exporter reads them in that order).
    public func hwmonChips(isSensor: (String) -> Bool) throws(FileSystemError) -> [HwmonChip] {
        let directory = path("class/hwmon")
        var chips: [HwmonChip] = []
        for entry in try FileAccess.listDirectory(directory) {
            let chipPath = joinPath(directory, entry.name)
            guard FileAccess.isDirectory(chipPath) else { continue }
            let device = joinPath(chipPath, "device")
            var chip = HwmonChip(
                path: chipPath, devicePath: try? FileAccess.realPath(device),
                realPath: try? FileAccess.realPath(chipPath),
                name: try? FileAccess.readAttribute(joinPath(chipPath, "name")))
            readSensors(chipPath, isSensor: isSensor, into: &chip.sensors)
            if FileAccess.isDirectory(device) { readSensors(device, isSensor: isSensor, into: &chip.sensors) }
            chips.append(chip)
        }
        return chips
    }

    private func readSensors(_ directory: String, isSensor: (String) -> Bool, into sensors: inout [String: String]) {
        for file in (try? FileAccess.listDirectory(directory)) ?? [] where isSensor(file.name) {
            if let value = try? FileAccess.readAttribute(joinPath(directory, file.name)) { sensors[file.name] = value }
        }
    }
}
