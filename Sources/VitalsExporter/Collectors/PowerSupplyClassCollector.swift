import Logging
import VitalsExposition
import VitalsProcFS
import VitalsSystem

/// `powersupplyclass`: batteries and AC adapters from /sys/class/power_supply.
struct PowerSupplyClassCollector: ConfigurableCollector {
    typealias Options = PowerSupplyOptions
    static let name = "powersupplyclass"
    static let enabledByDefault = true

    /// Attribute file → metric suffix, with the divisor node_exporter applies.
    static let numeric: [(file: String, metric: String, divisor: Double)] = [
        ("authentic", "authentic", 1), ("calibrate", "calibrate", 1), ("capacity", "capacity", 1),
        ("capacity_alert_max", "capacity_alert_max", 1), ("capacity_alert_min", "capacity_alert_min", 1),
        ("cycle_count", "cyclecount", 1), ("online", "online", 1), ("present", "present", 1),
        ("time_to_empty_now", "time_to_empty_seconds", 1), ("time_to_full_now", "time_to_full_seconds", 1),
        ("current_boot", "current_boot", 1e6), ("current_max", "current_max", 1e6),
        ("current_now", "current_ampere", 1e6), ("energy_empty", "energy_empty", 1e6),
        ("energy_empty_design", "energy_empty_design", 1e6), ("energy_full", "energy_full", 1e6),
        ("energy_full_design", "energy_full_design", 1e6), ("energy_now", "energy_watthour", 1e6),
        ("voltage_boot", "voltage_boot", 1e6), ("voltage_max", "voltage_max", 1e6),
        ("voltage_max_design", "voltage_max_design", 1e6), ("voltage_min", "voltage_min", 1e6),
        ("voltage_min_design", "voltage_min_design", 1e6), ("voltage_now", "voltage_volt", 1e6),
        ("voltage_ocv", "voltage_ocv", 1e6), ("charge_control_limit", "charge_control_limit", 1e6),
        ("charge_control_limit_max", "charge_control_limit_max", 1e6), ("charge_counter", "charge_counter", 1e6),
        ("charge_empty", "charge_empty", 1e6), ("charge_empty_design", "charge_empty_design", 1e6),
        ("charge_full", "charge_full", 1e6), ("charge_full_design", "charge_full_design", 1e6),
        ("charge_now", "charge_ampere", 1e6), ("charge_term_current", "charge_term_current", 1e6),
        ("constant_charge_current", "constant_charge_current", 1e6),
        ("constant_charge_current_max", "constant_charge_current_max", 1e6),
        ("constant_charge_voltage", "constant_charge_voltage", 1e6),
        ("constant_charge_voltage_max", "constant_charge_voltage_max", 1e6),
        ("precharge_current", "precharge_current", 1e6), ("input_current_limit", "input_current_limit", 1e6),
        ("power_now", "power_watt", 1e6), ("temp", "temp_celsius", 10),
        ("temp_alert_max", "temp_alert_max_celsius", 10), ("temp_alert_min", "temp_alert_min_celsius", 10),
        ("temp_ambient", "temp_ambient_celsius", 10), ("temp_ambient_max", "temp_ambient_max_celsius", 10),
        ("temp_ambient_min", "temp_ambient_min_celsius", 10), ("temp_max", "temp_max_celsius", 10),
        ("temp_min", "temp_min_celsius", 10),
    ]

    /// Attribute file → label of `node_power_supply_info`.
    static let info: [(file: String, label: String)] = [
        ("capacity_level", "capacity_level"), ("charge_type", "charge_type"), ("health", "health"),
        ("manufacturer", "manufacturer"), ("model_name", "model_name"), ("serial_number", "serial_number"),
        ("status", "status"), ("technology", "technology"), ("type", "type"), ("usb_type", "usb_type"),
        ("scope", "scope"),
    ]

    let sysFS: SysFS
    let ignored: DeviceFilter

    init(configuration: ExporterConfiguration, logger: Logger) throws(ConfigurationError) {
        sysFS = configuration.sysFS
        ignored = try DeviceFilter(
            exclude: PowerSupplyOptions(flags: configuration.flags).ignoredSupplies, include: nil)
    }

    func collect() throws -> [MetricFamily] {
        let supplies: [SysFS.PowerSupply]
        do {
            supplies = try sysFS.powerSupplies()
        } catch {
            guard error.isNotFound else { throw error }
            throw CollectorError.noData("no power_supply class in sysfs")
        }
        var families: [String: MetricFamily] = [:]
        var infoFamily = MetricFamily.gauge("node_power_supply_info", "info of /sys/class/power_supply/<power_supply>.")
        for supply in supplies where !ignored.ignores(supply.name) {
            for field in Self.numeric {
                guard let text = supply.attributes[field.file], let value = ByteText.parseInteger(text) else {
                    continue
                }
                let name = "node_power_supply_" + field.metric
                families[
                    name, default: .gauge(name, "\(field.metric) value of /sys/class/power_supply/<power_supply>.")
                ]
                .add(Double(value) / field.divisor, Label("power_supply", supply.name))
            }
            var labels = [Label("power_supply", supply.name)]
            for field in Self.info {
                if let value = supply.attributes[field.file], !value.isEmpty {
                    labels.append(Label(field.label, value))
                }
            }
            infoFamily.add(1, labels: labels)
        }
        return Array(families.values) + (infoFamily.metrics.isEmpty ? [] : [infoFamily])
    }
}

struct PowerSupplyOptions: CollectorOptions {
    static let ignoredSuppliesFlag = CollectorFlag.value(
        "collector.powersupply.ignored-supplies", default: "^$",
        help: "Regexp of power supplies to ignore for powersupplyclass collector.")
    static let flags = [ignoredSuppliesFlag]

    var ignoredSupplies: String?

    init(flags: CollectorFlagValues) { ignoredSupplies = flags.value(Self.ignoredSuppliesFlag) }
}
