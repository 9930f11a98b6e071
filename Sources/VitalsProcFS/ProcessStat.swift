/// The fields of `/proc/<pid>/stat` that process metrics need.
public struct ProcessStat: Sendable, Hashable {
    /// The state letter (`R`, `S`, `D`, `Z`, …).
    public var state: String
    /// User and system CPU time, in clock ticks (USER_HZ).
    public var userTicks: UInt64
    public var systemTicks: UInt64
    public var threads: UInt64
    /// Start time after boot, in clock ticks.
    public var startTicks: UInt64
    public var virtualMemoryBytes: UInt64
    /// Resident set size in pages.
    public var residentPages: UInt64

    public static func parse(_ bytes: [UInt8], file: String = "/proc/self/stat") throws(ProcParseError) -> ProcessStat {
        // The command name may itself contain spaces and parentheses: fields start after the last ')'.
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else {
            throw ProcParseError(file: file, message: "no \")\" after the command name")
        }
        let fields = ByteText.fields(bytes[(close + 1)...])
        guard fields.count >= 22 else {
            throw ProcParseError(file: file, message: "expected at least 24 fields, found \(fields.count + 2)")
        }
        func number(_ index: Int) throws(ProcParseError) -> UInt64 {
            guard let value = ByteText.parseUInt64(fields[index]) else {
                throw ProcParseError(file: file, message: "field \(index + 3) is not a number")
            }
            return value
        }
        return ProcessStat(
            state: ByteText.string(fields[0]), userTicks: try number(11), systemTicks: try number(12),
            threads: try number(17),
            startTicks: try number(19), virtualMemoryBytes: try number(20), residentPages: try number(21))
    }
}
