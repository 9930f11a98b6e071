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
