/// /proc/pressure/<resource>: pressure stall information (PSI), `some` and `full` lines.
public struct PressureStats: Sendable, Hashable {
    /// Total stall time in microseconds; nil when the line is absent.
    public var someTotal: UInt64?
    public var fullTotal: UInt64?
    public var malformedLines = 0

    public init() {}

    public static func parse(_ bytes: [UInt8]) -> PressureStats {
        var stats = PressureStats()
        ByteText.forEachLine(bytes) { line in
            let fields = ByteText.fields(line)
            guard let kind = fields.first else { return }
            guard let total = fields.dropFirst().first(where: { ByteText.hasPrefix($0, "total=") }),
                let value = ByteText.parseUInt64(total.dropFirst(6))
            else {
                stats.malformedLines += 1
                return
            }
            if ByteText.equals(kind, "some") {
                stats.someTotal = value
            } else if ByteText.equals(kind, "full") {
                stats.fullTotal = value
            } else {
                stats.malformedLines += 1
            }
        }
        return stats
    }
}
