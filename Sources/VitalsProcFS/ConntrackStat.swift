/// /proc/net/stat/nf_conntrack: per-CPU connection tracking counters (hexadecimal).
public struct ConntrackStat: Sendable, Hashable {
    /// Totals over all CPUs by column name (`found`, `invalid`, `insert_failed`, …).
    public var totals: [String: UInt64] = [:]
    public var malformedLines = 0

    public init() {}

    public static func parse(_ bytes: [UInt8]) -> ConntrackStat {
        var stat = ConntrackStat()
        var header: [String]?
        ByteText.forEachLine(bytes) { line in
            let fields = ByteText.fields(line)
            if fields.isEmpty { return }
            guard let names = header else {
                header = fields.map(ByteText.string)
                return
            }
            guard fields.count == names.count else {
                stat.malformedLines += 1
                return
            }
            var values: [UInt64] = []
            for field in fields {
                guard let value = UInt64(ByteText.string(field), radix: 16) else {
                    stat.malformedLines += 1
                    return
                }
                values.append(value)
            }
            for (name, value) in zip(names, values) { stat.totals[name, default: 0] &+= value }
        }
        return stat
    }
}
