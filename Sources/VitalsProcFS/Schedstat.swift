/// /proc/schedstat: per-CPU scheduler time.
public struct Schedstat: Sendable, Hashable {
    public struct CPU: Sendable, Hashable {
        public var cpu: String
        public var runningNanoseconds: UInt64
        public var waitingNanoseconds: UInt64
        public var timeslices: UInt64
    }

    public var cpus: [CPU] = []
    public var malformedLines = 0

    public init() {}

    public static func parse(_ bytes: [UInt8]) -> Schedstat {
        var stat = Schedstat()
        ByteText.forEachLine(bytes) { line in
            let fields = ByteText.fields(line)
            guard let first = fields.first, ByteText.hasPrefix(first, "cpu") else { return }
            guard fields.count >= 10, let running = ByteText.parseUInt64(fields[7]),
                let waiting = ByteText.parseUInt64(fields[8]), let slices = ByteText.parseUInt64(fields[9])
            else {
                stat.malformedLines += 1
                return
            }
            stat.cpus.append(
                CPU(
                    cpu: ByteText.string(first.dropFirst(3)), runningNanoseconds: running, waitingNanoseconds: waiting,
                    timeslices: slices))
        }
        return stat
    }
}
