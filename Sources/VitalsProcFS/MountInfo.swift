/// `/proc/<pid>/mountinfo`: the mount table.
public struct MountInfo: Sendable, Hashable {
    public struct Mount: Sendable, Hashable {
        public var mountID: Int
        public var parentID: Int
        public var major: UInt32
        public var minor: UInt32
        /// The root of the mount within its filesystem.
        public var root: String
        /// Where it is mounted, with the kernel's octal escapes (`\040` for space) decoded.
        public var mountPoint: String
        /// Per-mount options (`rw,relatime`).
        public var options: [String]
        public var fsType: String
        /// The mount source (device), escapes decoded.
        public var source: String
        /// Per-superblock options (`rw,errors=remount-ro`).
        public var superOptions: [String]

        /// Read-only when either option list says `ro`, or the superblock has gone `emergency_ro`.
        public var isReadOnly: Bool {
            options.contains("ro") || superOptions.contains("ro") || superOptions.contains("emergency_ro")
        }
    }

    public var mounts: [Mount] = []
    public var malformedLines = 0

    public init() {}

    public static func parse(_ bytes: [UInt8]) -> MountInfo {
        var info = MountInfo()
        ByteText.forEachLine(bytes) { line in
            let fields = ByteText.fields(line)
            if fields.isEmpty { return }
            guard fields.count >= 10, let separator = fields[6...].firstIndex(where: { ByteText.equals($0, "-") }),
                fields.count >= separator + 3, let mountID = ByteText.parseInt64(fields[0]),
                let parentID = ByteText.parseInt64(fields[1])
            else {
                info.malformedLines += 1
                return
            }
            let device = fields[2]
            guard let colon = device.firstIndex(of: UInt8(ascii: ":")),
                let major = ByteText.parseUInt64(device[device.startIndex..<colon]),
                let minor = ByteText.parseUInt64(device[(colon + 1)...]), major <= UInt32.max, minor <= UInt32.max
            else {
                info.malformedLines += 1
                return
            }
            info.mounts.append(
                Mount(
                    mountID: Int(mountID), parentID: Int(parentID), major: UInt32(major), minor: UInt32(minor),
                    root: unescape(fields[3]), mountPoint: unescape(fields[4]),
                    options: ByteText.string(fields[5]).split(separator: ",").map(String.init),
                    fsType: ByteText.string(fields[separator + 1]), source: unescape(fields[separator + 2]),
                    superOptions: fields.count > separator + 3
                        ? ByteText.string(fields[separator + 3]).split(separator: ",").map(String.init) : []))
        }
        return info
    }

    /// Decodes the kernel's `\ooo` octal escapes (space, tab, newline and backslash).
    static func unescape(_ field: ArraySlice<UInt8>) -> String {
        guard field.contains(UInt8(ascii: "\\")) else { return ByteText.string(field) }
        var output: [UInt8] = []
        output.reserveCapacity(field.count)
        var index = field.startIndex
        while index < field.endIndex {
            let byte = field[index]
            if byte == UInt8(ascii: "\\"), index + 3 < field.endIndex {
                let digits = field[(index + 1)..<min(index + 4, field.endIndex)]
                if digits.count == 3, digits.allSatisfy({ $0 >= 48 && $0 <= 55 }) {
                    let value = digits.reduce(0) { $0 * 8 + Int($1 - 48) }
                    if value < 256 {
                        output.append(UInt8(value))
                        index += 4
                        continue
                    }
                }
            }
            output.append(byte)
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }
}
