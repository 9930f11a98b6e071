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
            state: ByteText.string(fields[0]), userTicks: try number(11), systemTicks: try number(12), threads: try number(17),
            startTicks: try number(19), virtualMemoryBytes: try number(20), residentPages: try number(21))
    }
}

/// The limits of `/proc/<pid>/limits` that process metrics need.
public struct ProcessLimits: Sendable, Hashable {
    /// Soft limit on open files; nil when unlimited.
    public var openFiles: UInt64?
    /// Soft limit on address space in bytes; nil when unlimited.
    public var addressSpace: UInt64?
    public var malformedLines = 0

    public static func parse(_ bytes: [UInt8]) -> ProcessLimits {
        var limits = ProcessLimits()
        ByteText.forEachLine(bytes) { line in
            // Columns are aligned: the name takes the first 26 characters.
            guard line.count > 26 else { return }
            let name = ByteText.trimmedString(line.prefix(26))
            let values = ByteText.fields(line.dropFirst(26))
            guard name == "Max open files" || name == "Max address space" else { return }
            guard let soft = values.first else {
                limits.malformedLines += 1
                return
            }
            let value = ByteText.equals(soft, "unlimited") ? nil : ByteText.parseUInt64(soft)
            if value == nil, !ByteText.equals(soft, "unlimited") {
                limits.malformedLines += 1
                return
            }
            if name == "Max open files" { limits.openFiles = value } else { limits.addressSpace = value }
        }
        return limits
    }
}
