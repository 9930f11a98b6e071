import Logging
import VitalsExposition
import VitalsProcFS
import VitalsSystem

/// `hwmon`: temperatures, voltages, fans, currents and power from /sys/class/hwmon, with
/// node_exporter's chip naming rules (`platform_coretemp_0`, disambiguated by `name` or directory).
struct HwmonCollector: ConfigurableCollector {
    typealias Options = HwmonOptions
    static let name = "hwmon"
    static let enabledByDefault = true

    static let sensorTypes: Set<String> = [
        "vrm", "beep_enable", "update_interval", "in", "cpu", "fan", "pwm", "temp", "curr", "power", "energy",
        "humidity", "intrusion", "freq",
    ]

    let sysFS: SysFS
    let chipFilter: DeviceFilter
    let sensorFilter: DeviceFilter

    init(configuration: ExporterConfiguration, logger: Logger) throws(ConfigurationError) {
        sysFS = configuration.sysFS
        let options = HwmonOptions(flags: configuration.flags)
        chipFilter = try DeviceFilter(exclude: options.chipExclude, include: options.chipInclude)
        sensorFilter = try DeviceFilter(exclude: options.sensorExclude, include: options.sensorInclude)
    }

    /// Lower-cases and replaces everything outside `[a-z0-9:_]` with `_`, then trims `_`.
    static func clean(_ name: String) -> String {
        var output = ""
        for scalar in name.lowercased().unicodeScalars {
            let allowed = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == ":" || scalar == "_"
            output.unicodeScalars.append(allowed ? scalar : "_")
        }
        return String(output.drop { $0 == "_" }.reversed().drop { $0 == "_" }.reversed())
    }

    /// Splits `temp1_crit_alarm` into type `temp`, number 1 and property `crit_alarm`.
    static func explode(_ filename: String) -> (type: String, number: Int, property: String)? {
        let characters = Array(filename)
        var index = 0
        while index < characters.count, !characters[index].isASCII || !characters[index].isNumber { index += 1 }
        guard index > 0 else { return nil }
        // `[^0-9]+` is greedy: without digits it takes everything, property and all.
        let type = String(characters[0..<index])
        var digitsEnd = index
        while digitsEnd < characters.count, characters[digitsEnd].isASCII, characters[digitsEnd].isNumber {
            digitsEnd += 1
        }
        let number = digitsEnd > index ? Int(String(characters[index..<digitsEnd])) : 0
        guard let number else { return nil }
        if digitsEnd == characters.count { return (type, number, "") }
        guard characters[digitsEnd] == "_", digitsEnd + 1 < characters.count else { return nil }
        return (type, number, String(characters[(digitsEnd + 1)...]))
    }

    func collect() throws -> [MetricFamily] {
        let chips: [HwmonChip]
        do {
            chips = try sysFS.hwmonChips { file in
                Self.explode(file).map { Self.sensorTypes.contains($0.type) } ?? false
            }
        } catch {
            guard error.isNotFound else { throw error }
            throw CollectorError.noData("hwmon metrics are not available on this system")
        }
        var named: [(chip: HwmonChip, baseName: String)] = []
        var chipCounts: [String: Int] = [:]
        var nameCounts: [String: Int] = [:]
        for chip in chips {
            guard let baseName = Self.chipName(chip) else { continue }
            named.append((chip, baseName))
            chipCounts[baseName, default: 0] += 1
            nameCounts[baseName + "\u{0}" + (chip.name ?? ""), default: 0] += 1
        }
        var builder = FamilyBuilder()
        for (chip, baseName) in named {
            var name = baseName
            if chipCounts[baseName, default: 0] > 1 {
                var suffix = Self.clean(chip.name ?? "")
                if suffix.isEmpty || nameCounts[baseName + "\u{0}" + (chip.name ?? ""), default: 0] > 1 {
                    suffix = Self.clean(String(chip.path.split(separator: "/").last ?? ""))
                }
                name += "_" + suffix
            }
            guard !chipFilter.ignores(name) else { continue }
            collectChip(chip, name: name, into: &builder)
        }
        return builder.families
    }

    /// node_exporter's `hwmonName`: device type and name from the `device` link, else the `name`
    /// file, else the directory.
    static func chipName(_ chip: HwmonChip) -> String? {
        if let device = chip.devicePath {
            let parts = device.split(separator: "/")
            let deviceName = clean(String(parts.last ?? ""))
            let deviceType = clean(parts.count > 1 ? String(parts[parts.count - 2]) : "")
            if !deviceType.isEmpty, !deviceName.isEmpty { return deviceType + "_" + deviceName }
            if !deviceName.isEmpty { return deviceName }
        }
        if let name = chip.name {
            let cleaned = clean(name)
            if !cleaned.isEmpty { return cleaned }
        }
        if let real = chip.realPath {
            let cleaned = clean(String(real.split(separator: "/").last ?? ""))
            if !cleaned.isEmpty { return cleaned }
        }
        return nil
    }

    private func collectChip(_ hwmon: HwmonChip, name chip: String, into builder: inout FamilyBuilder) {
        var data: [String: [String: String]] = [:]
        for (file, value) in hwmon.sensors {
            guard let (type, number, property) = Self.explode(file) else { continue }
            data["\(type)\(number)", default: [:]][property] = value
        }
        if let raw = hwmon.name {
            let cleaned = Self.clean(raw)
            if !cleaned.isEmpty {
                builder.add(
                    "node_hwmon_chip_names", "Annotation metric for human-readable chip names", .gauge, 1,
                    [Label("chip", chip), Label("chip_name", cleaned)])
            }
        }
        for (sensor, values) in data {
            guard !sensorFilter.ignores(chip + ";" + sensor), let type = Self.explode(sensor)?.type else { continue }
            let labels = [Label("chip", chip), Label("sensor", sensor)]
            if let label = values["label"] {
                builder.add(
                    "node_hwmon_sensor_label", "Label for given chip and sensor", .gauge, 1,
                    labels + [Label("label", label)])
            }
            switch type {
            case "beep_enable":
                builder.add(
                    "node_hwmon_beep_enabled", "Hardware beep enabled", .gauge, values[""] == "1" ? 1 : 0, labels)
                continue
            case "vrm":
                if let value = values[""].flatMap(Double.init) {
                    builder.add(
                        "node_hwmon_voltage_regulator_version", "Hardware voltage regulator", .gauge, value, labels)
                }
                continue
            case "update_interval":
                if let value = values[""].flatMap(Double.init) {
                    builder.add(
                        "node_hwmon_update_interval_seconds", "Hardware monitor update interval", .gauge, value * 0.001,
                        labels)
                }
                continue
            default:
                break
            }
            let prefix = "node_hwmon_" + type
            for (element, text) in values where element != "label" {
                var name = prefix
                if element == "input" {
                    if values[""] != nil { name += "_input" }
                } else if !element.isEmpty {
                    name += "_" + Self.clean(element)
                }
                guard let value = Double(text) else { continue }
                switch (type, element) {
                case (_, "fault"), (_, "alarm"):
                    builder.add(name, "Hardware sensor \(element) status (\(type))", .gauge, value, labels)
                case (_, "beep"):
                    builder.add(name + "_enabled", "Hardware monitor sensor has beeping enabled", .gauge, value, labels)
                case ("in", _), ("cpu", _):
                    builder.add(
                        name + "_volts", "Hardware monitor for voltage (\(element))", .gauge, value * 0.001, labels)
                case ("temp", let element) where element != "type":
                    let shown = element.isEmpty ? "input" : element
                    builder.add(
                        name + "_celsius", "Hardware monitor for temperature (\(shown))", .gauge, value * 0.001, labels)
                case ("curr", _):
                    builder.add(
                        name + "_amps", "Hardware monitor for current (\(element))", .gauge, value * 0.001, labels)
                case ("energy", _):
                    builder.add(
                        name + "_joule_total", "Hardware monitor for joules used so far (\(element))", .counter,
                        value / 1_000_000.0, labels)
                case ("power", "accuracy"):
                    builder.add(
                        name, "Hardware monitor power meter accuracy, as a ratio", .gauge, value / 1_000_000.0, labels)
                case ("power", "average_interval"), ("power", "average_interval_min"),
                    ("power", "average_interval_max"):
                    builder.add(
                        name + "_seconds", "Hardware monitor power usage update interval (\(element))", .gauge,
                        value * 0.001, labels)
                case ("power", _):
                    builder.add(
                        name + "_watt", "Hardware monitor for power usage in watts (\(element))", .gauge,
                        value / 1_000_000.0, labels)
                case ("humidity", _):
                    builder.add(
                        name,
                        "Hardware monitor for humidity, as a ratio (multiply with 100.0 to get the humidity as a percentage) (\(element))",
                        .gauge, value / 1_000_000.0, labels)
                case ("fan", "input"), ("fan", "min"), ("fan", "max"), ("fan", "target"):
                    builder.add(
                        name + "_rpm", "Hardware monitor for fan revolutions per minute (\(element))", .gauge, value,
                        labels)
                case ("freq", "input"):
                    if let label = values["label"] {
                        builder.add(
                            name + "_freq_mhz", "Hardware monitor for GPU frequency in MHz", .gauge,
                            value / 1_000_000.0,
                            [Label("chip", chip), Label("sensor", Self.clean(label))])
                    }
                case ("freq", _):
                    continue
                default:
                    builder.add(name, "Hardware monitor \(type) element \(element)", .gauge, value, labels)
                }
            }
        }
    }
}

/// Collects samples into families by name, for collectors whose family set depends on the data.
struct FamilyBuilder {
    private var indexByName: [String: Int] = [:]
    private(set) var families: [MetricFamily] = []

    mutating func add(_ name: String, _ help: String, _ type: MetricType, _ value: Double, _ labels: [Label]) {
        if let index = indexByName[name] {
            families[index].add(value, labels: labels)
        } else {
            indexByName[name] = families.count
            families.append(MetricFamily(name: name, help: help, type: type, metrics: [Metric(labels: labels, value)]))
        }
    }
}

struct HwmonOptions: CollectorOptions {
    static let chipIncludeFlag = CollectorFlag.value(
        "collector.hwmon.chip-include", help: "Regexp of hwmon chip to include (mutually exclusive to device-exclude).")
    static let chipExcludeFlag = CollectorFlag.value(
        "collector.hwmon.chip-exclude", help: "Regexp of hwmon chip to exclude (mutually exclusive to device-include).")
    static let sensorIncludeFlag = CollectorFlag.value(
        "collector.hwmon.sensor-include",
        help: "Regexp of hwmon sensor to include (mutually exclusive to sensor-exclude).")
    static let sensorExcludeFlag = CollectorFlag.value(
        "collector.hwmon.sensor-exclude",
        help: "Regexp of hwmon sensor to exclude (mutually exclusive to sensor-include).")
    static let flags = [chipIncludeFlag, chipExcludeFlag, sensorIncludeFlag, sensorExcludeFlag]

    var chipInclude: String?
    var chipExclude: String?
    var sensorInclude: String?
    var sensorExclude: String?

    init(flags: CollectorFlagValues) {
        chipInclude = flags.value(Self.chipIncludeFlag)
        chipExclude = flags.value(Self.chipExcludeFlag)
        sensorInclude = flags.value(Self.sensorIncludeFlag)
        sensorExclude = flags.value(Self.sensorExcludeFlag)
    }
}
