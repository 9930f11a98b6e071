import Logging
import VitalsExposition
import VitalsProcFS
import VitalsSystem

/// `timex`: the kernel clock's synchronization state from `adjtimex(2)`.
struct TimexCollector: Collector {
    static let nanoStatusBit: Int32 = 0x2000  // STA_NANO
    static let ppm16: Double = 1_000_000.0 * 65536.0

    func collect() throws -> [MetricFamily] {
        let clock: ClockState
        do {
            clock = try ClockState.read()
        } catch {
            if error.errorNumber == 1 { throw CollectorError.noData("not permitted to read adjtimex") }  // EPERM
            throw CollectorError.failed("failed to retrieve adjtimex stats: \(error)")
        }
        let divisor: Double = clock.status & Self.nanoStatusBit != 0 ? 1_000_000_000 : 1_000_000
        return [
            .single(
                "node_timex_sync_status", "Is clock synchronized to a reliable server (1 = yes, 0 = no).", .gauge,
                clock.state == 5 ? 0 : 1),
            .single(
                "node_timex_offset_seconds", "Time offset in between local system and reference clock.", .gauge,
                Double(clock.offset) / divisor),
            .single(
                "node_timex_frequency_adjustment_ratio", "Local clock frequency adjustment.", .gauge,
                1 + Double(clock.frequency) / Self.ppm16),
            .single(
                "node_timex_maxerror_seconds", "Maximum error in seconds.", .gauge, Double(clock.maxError) / 1_000_000),
            .single(
                "node_timex_estimated_error_seconds", "Estimated error in seconds.", .gauge,
                Double(clock.estimatedError) / 1_000_000),
            .single("node_timex_status", "Value of the status array bits.", .gauge, Double(clock.status)),
            .single(
                "node_timex_loop_time_constant", "Phase-locked loop time constant.", .gauge, Double(clock.constant)),
            .single("node_timex_tick_seconds", "Seconds between clock ticks.", .gauge, Double(clock.tick) / 1_000_000),
            .single(
                "node_timex_pps_frequency_hertz", "Pulse per second frequency.", .gauge,
                Double(clock.ppsFrequency) / Self.ppm16),
            .single(
                "node_timex_pps_jitter_seconds", "Pulse per second jitter.", .gauge, Double(clock.jitter) / divisor),
            .single("node_timex_pps_shift_seconds", "Pulse per second interval duration.", .gauge, Double(clock.shift)),
            .single(
                "node_timex_pps_stability_hertz", "Pulse per second stability, average of recent frequency changes.",
                .gauge, Double(clock.stability) / Self.ppm16),
            .single(
                "node_timex_pps_jitter_total", "Pulse per second count of jitter limit exceeded events.", .counter,
                Double(clock.jitterCount)),
            .single(
                "node_timex_pps_calibration_total", "Pulse per second count of calibration intervals.", .counter,
                Double(clock.calibrationCount)),
            .single(
                "node_timex_pps_error_total", "Pulse per second count of calibration errors.", .counter,
                Double(clock.errorCount)),
            .single(
                "node_timex_pps_stability_exceeded_total", "Pulse per second count of stability limit exceeded events.",
                .counter, Double(clock.stabilityExceededCount)),
            .single(
                "node_timex_tai_offset_seconds", "International Atomic Time (TAI) offset.", .gauge, Double(clock.tai)),
        ]
    }
}

extension TimexCollector: CollectorDefinition {
    static let name = "timex"
    static let enabledByDefault = true

    init(configuration: ExporterConfiguration, logger: Logger) {
        self.init()
    }
}
