import CVitalsSystem
import VitalsSystem

/// The kernel's clock discipline state from `adjtimex(2)`, read-only.
public struct ClockState: Sendable, Hashable {
    /// The call's return value: the clock state (`TIME_ERROR` = 5 means unsynchronized).
    public var state: Int32
    public var offset: Int
    public var frequency: Int
    public var maxError: Int
    public var estimatedError: Int
    public var status: Int32
    public var constant: Int
    public var tick: Int
    public var ppsFrequency: Int
    public var jitter: Int
    public var shift: Int32
    public var stability: Int
    public var jitterCount: Int
    public var calibrationCount: Int
    public var errorCount: Int
    public var stabilityExceededCount: Int
    public var tai: Int32

    public static func read() throws(FileSystemError) -> ClockState {
        let value = vitals_adjtimex()
        guard value.state >= 0 else {
            throw FileSystemError(path: "adjtimex", operation: "adjtimex", errorNumber: value.error_number)
        }
        return ClockState(
            state: value.state, offset: value.offset, frequency: value.freq, maxError: value.maxerror,
            estimatedError: value.esterror, status: value.status, constant: value.constant, tick: value.tick,
            ppsFrequency: value.ppsfreq, jitter: value.jitter, shift: value.shift, stability: value.stabil,
            jitterCount: value.jitcnt, calibrationCount: value.calcnt, errorCount: value.errcnt,
            stabilityExceededCount: value.stbcnt, tai: value.tai)
    }
}
