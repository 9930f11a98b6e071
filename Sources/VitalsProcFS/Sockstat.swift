/// /proc/net/sockstat and sockstat6: socket counts per protocol.
public struct Sockstat: Sendable, Hashable {
    public struct ProtocolCounts: Sendable, Hashable {
        public var name: String
        /// `inuse`, `orphan`, `tw`, `alloc`, `mem`, `memory`, in file order.
        public var counts: [(key: String, value: Int64)]

        public static func == (lhs: ProtocolCounts, rhs: ProtocolCounts) -> Bool {
            lhs.name == rhs.name && lhs.counts.map(\.key) == rhs.counts.map(\.key)
                && lhs.counts.map(\.value) == rhs.counts.map(\.value)
        }

        public func hash(into hasher: inout Hasher) { hasher.combine(name) }

        public func value(_ key: String) -> Int64? { counts.first { $0.key == key }?.value }
    }

    /// `sockets: used N` (IPv4 file only).
    public var socketsUsed: Int64?
    public var protocols: [ProtocolCounts] = []
    public var malformedLines = 0

    public init() {}

    public static func parse(_ bytes: [UInt8]) -> Sockstat {
        var stat = Sockstat()
        ByteText.forEachLine(bytes) { line in
            let fields = ByteText.fields(line)
            if fields.isEmpty { return }
            guard fields.count >= 3, fields.count % 2 == 1, fields[0].last == UInt8(ascii: ":") else {
                stat.malformedLines += 1
                return
            }
            var counts: [(String, Int64)] = []
            for index in stride(from: 1, to: fields.count, by: 2) {
                guard let value = ByteText.parseInt64(fields[index + 1]) else {
                    stat.malformedLines += 1
                    return
                }
                counts.append((ByteText.string(fields[index]), value))
            }
            let name = ByteText.string(fields[0].dropLast())
            if name == "sockets" {
                stat.socketsUsed = counts.first { $0.0 == "used" }?.1
            } else {
                stat.protocols.append(ProtocolCounts(name: name, counts: counts.map { (key: $0.0, value: $0.1) }))
            }
        }
        return stat
    }
}
