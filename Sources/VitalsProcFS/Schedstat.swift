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

/// /proc/interrupts: counts per interrupt and CPU.
public struct Interrupts: Sendable, Hashable {
    public struct Interrupt: Sendable, Hashable {
        public var name: String
        public var info: String
        public var devices: String
        /// One count per CPU column, as written.
        public var values: [String]
    }

    public var interrupts: [Interrupt] = []
    public var malformedLines = 0

    public init() {}

    public static func parse(_ bytes: [UInt8], file: String = "/proc/interrupts") throws(ProcParseError) -> Interrupts {
        var result = Interrupts()
        var cpuCount: Int?
        ByteText.forEachLine(bytes) { line in
            guard let cpus = cpuCount else {
                cpuCount = ByteText.fields(line).count
                return
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                if !ByteText.fields(line).isEmpty { result.malformedLines += 1 }
                return
            }
            let parts = ByteText.fields(line[(colon + 1)...])
            // ERR and MIS have a single count: not per CPU, skipped as node_exporter does.
            guard parts.count >= cpus + 1 else { return }
            let name = ByteText.trimmedString(line[line.startIndex..<colon])
            let values = parts[0..<cpus].map(ByteText.string)
            let rest = parts[cpus...].map(ByteText.string)
            if Int(name) != nil {
                result.interrupts.append(
                    Interrupt(name: name, info: rest[0], devices: rest.dropFirst().joined(separator: " "), values: values))
            } else {
                result.interrupts.append(
                    Interrupt(name: name, info: rest.joined(separator: " "), devices: "", values: values))
            }
        }
        guard cpuCount != nil else { throw ProcParseError(file: file, message: "empty file") }
        return result
    }
}

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
