/// `/proc/diskstats`: I/O counters per block device.
public struct DiskStats: Sendable, Hashable {
    /// One device's line. `counters` holds the fields after the name, as many as the kernel
    /// provides: 11 before 4.18, 15 with discards, 17 with flushes (5.5+).
    public struct Device: Sendable, Hashable {
        public var major: UInt32
        public var minor: UInt32
        public var name: String
        public var counters: [UInt64]

        public init(major: UInt32, minor: UInt32, name: String, counters: [UInt64]) {
            self.major = major
            self.minor = minor
            self.name = name
            self.counters = counters
        }
    }

    public var devices: [Device] = []
    public var malformedLines = 0

    public init() {}

    public static func parse(_ bytes: [UInt8]) -> DiskStats {
        var stats = DiskStats()
        ByteText.forEachLine(bytes) { line in
            let fields = ByteText.fields(line)
            if fields.isEmpty { return }
            guard fields.count >= 14, let major = ByteText.parseUInt64(fields[0]),
                let minor = ByteText.parseUInt64(fields[1]), major <= UInt32.max, minor <= UInt32.max
            else {
                stats.malformedLines += 1
                return
            }
            var counters: [UInt64] = []
            counters.reserveCapacity(fields.count - 3)
            for field in fields[3...] {
                guard let value = ByteText.parseUInt64(field) else {
                    stats.malformedLines += 1
                    return
                }
                counters.append(value)
            }
            stats.devices.append(
                Device(major: UInt32(major), minor: UInt32(minor), name: ByteText.string(fields[2]), counters: counters)
            )
        }
        return stats
    }
}
