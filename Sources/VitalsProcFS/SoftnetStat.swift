/// /proc/net/softnet_stat: per-CPU packet processing counters, in hexadecimal.
public struct SoftnetStat: Sendable, Hashable {
    public struct CPU: Sendable, Hashable {
        public var index: UInt32
        public var processed: UInt32
        public var dropped: UInt32
        public var timeSqueezed: UInt32
        public var cpuCollision: UInt32
        public var receivedRPS: UInt32
        public var flowLimitCount: UInt32
        public var backlogLength: UInt32
    }

    public var cpus: [CPU] = []
    public var malformedLines = 0

    public init() {}

    public static func parse(_ bytes: [UInt8]) -> SoftnetStat {
        var stat = SoftnetStat()
        var row = 0
        ByteText.forEachLine(bytes) { line in
            let fields = ByteText.fields(line)
            if fields.isEmpty { return }
            let values = fields.map { UInt32(ByteText.string($0), radix: 16) }
            guard fields.count >= 9, !values.contains(where: { $0 == nil }) else {
                stat.malformedLines += 1
                row += 1
                return
            }
            func value(_ index: Int) -> UInt32 { index < values.count ? values[index]! : 0 }
            stat.cpus.append(
                CPU(
                    index: fields.count >= 13 ? value(12) : UInt32(row), processed: value(0), dropped: value(1),
                    timeSqueezed: value(2), cpuCollision: value(8), receivedRPS: value(9), flowLimitCount: value(10),
                    backlogLength: value(11)))
            row += 1
        }
        return stat
    }
}
