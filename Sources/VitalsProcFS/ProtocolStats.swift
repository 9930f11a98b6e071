/// /proc/net/netstat and /proc/net/snmp: pairs of lines, a header of field names and a line of
/// values, each starting with `Protocol:`.
public struct ProtocolStats: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var protocolName: String
        public var name: String
        public var value: Double
    }

    public var entries: [Entry] = []
    public var malformedLines = 0

    public init() {}

    public static func parse(_ bytes: [UInt8]) -> ProtocolStats {
        var stats = ProtocolStats()
        var header: [ArraySlice<UInt8>]?
        ByteText.forEachLine(bytes) { line in
            let fields = ByteText.fields(line)
            guard let first = fields.first, first.last == UInt8(ascii: ":") else {
                if !fields.isEmpty { stats.malformedLines += 1 }
                return
            }
            guard let names = header else {
                header = fields
                return
            }
            header = nil
            guard names[0] == first, names.count == fields.count else {
                stats.malformedLines += 2
                return
            }
            let protocolName = ByteText.string(first.dropLast())
            for index in 1..<fields.count {
                guard let value = ByteText.parseDouble(fields[index]) else {
                    stats.malformedLines += 1
                    continue
                }
                stats.entries.append(
                    Entry(protocolName: protocolName, name: ByteText.string(names[index]), value: value))
            }
        }
        if header != nil { stats.malformedLines += 1 }
        return stats
    }

    /// /proc/net/snmp6's `Ip6InReceives 12` lines, split at the `6` into protocol and name.
    public static func parseSNMP6(_ bytes: [UInt8]) -> ProtocolStats {
        var stats = ProtocolStats()
        let pairs = KeyValueStats.parse(bytes)
        stats.malformedLines = pairs.malformedLines
        for entry in pairs.entries {
            guard let six = entry.name.firstIndex(of: "6") else { continue }
            let protocolName = String(entry.name[...six])
            let name = String(entry.name[entry.name.index(after: six)...])
            stats.entries.append(Entry(protocolName: protocolName, name: name, value: entry.value))
        }
        return stats
    }
}
