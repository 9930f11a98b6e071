import Logging
import VitalsExposition
import VitalsProcFS
import VitalsSystem

/// `thermal_zone`: zone temperatures and cooling device states from /sys/class/thermal.
struct ThermalZoneCollector: Collector {
    let sysFS: SysFS

    func collect() throws -> [MetricFamily] {
        let zones: [SysFS.ThermalZone]
        do {
            zones = try sysFS.thermalZones()
        } catch {
            guard error.isUnavailable else { throw error }
            throw CollectorError.noData("could not read thermal zones: \(error)")
        }
        var temperature = MetricFamily.gauge("node_thermal_zone_temp", "Zone temperature in Celsius")
        for zone in zones {
            temperature.add(Double(zone.temperature) / 1000.0, Label("zone", zone.name), Label("type", zone.type))
        }
        var current = MetricFamily.gauge(
            "node_cooling_device_cur_state", "Current throttle state of the cooling device")
        var maximum = MetricFamily.gauge(
            "node_cooling_device_max_state", "Maximum throttle state of the cooling device")
        for device in try sysFS.coolingDevices() {
            current.add(Double(device.currentState), Label("name", device.name), Label("type", device.type))
            maximum.add(Double(device.maximumState), Label("name", device.name), Label("type", device.type))
        }
        return [temperature, current, maximum].filter { !$0.metrics.isEmpty }
    }
}

extension ThermalZoneCollector: CollectorDefinition {
    static let name = "thermal_zone"
    static let enabledByDefault = true

    init(configuration: ExporterConfiguration, logger: Logger) {
        self.init(sysFS: configuration.sysFS)
    }
}
