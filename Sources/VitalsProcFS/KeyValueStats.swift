/// Files of `name value` lines: /proc/vmstat and /proc/net/snmp6.
public struct KeyValueStats: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var value: Double
    }

    public var entries: [Entry] = []
    public var malformedLines = 0

    public init() {}

    public static func parse(_ bytes: [UInt8]) -> KeyValueStats {
        var stats = KeyValueStats()
        ByteText.forEachLine(bytes) { line in
            let fields = ByteText.fields(line)
            if fields.isEmpty { return }
            guard fields.count == 2, let value = ByteText.parseDouble(fields[1]) else {
                stats.malformedLines += 1
                return
            }
            stats.entries.append(Entry(name: ByteText.string(fields[0]), value: value))
        }
        return stats
    }
}
