/// /proc/net/arp: the IPv4 neighbour table.
public struct ARPTable: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var address: String
        public var hardwareAddress: String
        public var flags: UInt64
        public var device: String
    }

    public var entries: [Entry] = []
    public var malformedLines = 0

    public init() {}

    public static func parse(_ bytes: [UInt8]) -> ARPTable {
        var table = ARPTable()
        var first = true
        ByteText.forEachLine(bytes) { line in
            if first {
                first = false
                return
            }
            let fields = ByteText.fields(line)
            if fields.isEmpty { return }
            guard fields.count == 6, let flags = ByteText.parseInteger(ByteText.string(fields[2])) else {
                table.malformedLines += 1
                return
            }
            table.entries.append(
                Entry(
                    address: ByteText.string(fields[0]), hardwareAddress: ByteText.string(fields[3]),
                    flags: UInt64(truncatingIfNeeded: flags), device: ByteText.string(fields[5])))
        }
        return table
    }
}
