/// Time a CPU spent in each mode, in seconds (the kernel counts in USER_HZ = 100 ticks per second).
public struct CPUTimes: Sendable, Hashable {
    public var user = 0.0
    public var nice = 0.0
    public var system = 0.0
    public var idle = 0.0
    public var iowait = 0.0
    public var irq = 0.0
    public var softirq = 0.0
    public var steal = 0.0
    public var guest = 0.0
    public var guestNice = 0.0

    public init() {}
}

/// The times of one CPU, with its number.
public struct NumberedCPUTimes: Sendable, Hashable {
    public var number: Int
    public var times: CPUTimes

    public init(number: Int, times: CPUTimes) {
        self.number = number
        self.times = times
    }
}

/// `/proc/stat`: CPU times, interrupts, context switches, boot time, forks and process counts.
public struct KernelStat: Sendable, Hashable {
    /// USER_HZ; fixed at 100 on every Linux architecture that node_exporter supports.
    public static let userHZ = 100.0

    public var total = CPUTimes()
    /// Per-CPU times, in file order.
    public var cpus: [NumberedCPUTimes] = []
    public var interruptsTotal: UInt64 = 0
    public var contextSwitches: UInt64 = 0
    public var bootTime: UInt64 = 0
    public var processesCreated: UInt64 = 0
    public var processesRunning: UInt64 = 0
    public var processesBlocked: UInt64 = 0
    public var softIRQTotal: UInt64 = 0
    /// Softirq counts by vector, in the kernel's order: hi, timer, net_tx, net_rx, block,
    /// block_iopoll, tasklet, sched, hrtimer, rcu.
    public var softIRQ: [UInt64] = []
    public var malformedLines = 0

    public init() {}

    /// Parses the bytes of `/proc/stat`.
    public static func parse(_ bytes: [UInt8], file: String = "/proc/stat") throws(ProcParseError) -> KernelStat {
        var stat = KernelStat()
        var sawCPU = false
        ByteText.forEachLine(bytes) { line in
            var cursor = line.startIndex
            guard let keyRange = ByteText.nextField(line, from: &cursor) else { return }
            if ByteText.equals(line[keyRange], "intr") {
                // Hundreds of per-interrupt counts follow the total, which is all that is exposed:
                // splitting the whole line cost more than the rest of the file.
                guard let range = ByteText.nextField(line, from: &cursor),
                    let value = ByteText.parseUInt64(line[range])
                else {
                    stat.malformedLines += 1
                    return
                }
                stat.interruptsTotal = value
                return
            }
            let fields = ByteText.fields(line)
            guard let key = fields.first else { return }
            if ByteText.hasPrefix(key, "cpu") {
                guard fields.count >= 2, let times = cpuTimes(fields) else {
                    stat.malformedLines += 1
                    return
                }
                if key.count == 3 {
                    stat.total = times
                    sawCPU = true
                } else if let number = ByteText.parseUInt64(key.dropFirst(3)).flatMap(Int.init(exactly:)) {
                    stat.cpus.append(NumberedCPUTimes(number: number, times: times))
                } else {
                    stat.malformedLines += 1
                }
                return
            }
            switch true {
            case ByteText.equals(key, "ctxt"):
                guard let value = single(fields) else {
                    stat.malformedLines += 1
                    return
                }
                stat.contextSwitches = value
            case ByteText.equals(key, "btime"):
                guard let value = single(fields) else {
                    stat.malformedLines += 1
                    return
                }
                stat.bootTime = value
            case ByteText.equals(key, "processes"):
                guard let value = single(fields) else {
                    stat.malformedLines += 1
                    return
                }
                stat.processesCreated = value
            case ByteText.equals(key, "procs_running"):
                guard let value = single(fields) else {
                    stat.malformedLines += 1
                    return
                }
                stat.processesRunning = value
            case ByteText.equals(key, "procs_blocked"):
                guard let value = single(fields) else {
                    stat.malformedLines += 1
                    return
                }
                stat.processesBlocked = value
            case ByteText.equals(key, "softirq"):
                let values = fields.dropFirst().map { ByteText.parseUInt64($0) }
                guard let total = values.first ?? nil, !values.contains(where: { $0 == nil }) else {
                    stat.malformedLines += 1
                    return
                }
                stat.softIRQTotal = total
                stat.softIRQ = values.dropFirst().map { $0! }
            default:
                return
            }
        }
        guard sawCPU || !stat.cpus.isEmpty else {
            throw ProcParseError(file: file, message: "no \"cpu\" line; expected the format of /proc/stat")
        }
        return stat
    }

    private static func single(_ fields: [ArraySlice<UInt8>]) -> UInt64? {
        fields.count == 2 ? ByteText.parseUInt64(fields[1]) : nil
    }

    /// Reads `cpuN user nice system idle [iowait irq softirq steal guest guest_nice]`.
    private static func cpuTimes(_ fields: [ArraySlice<UInt8>]) -> CPUTimes? {
        var ticks: [Double] = []
        ticks.reserveCapacity(10)
        for field in fields.dropFirst().prefix(10) {
            guard let value = ByteText.parseUInt64(field) else { return nil }
            ticks.append(Double(value) / userHZ)
        }
        guard ticks.count >= 4 else { return nil }
        while ticks.count < 10 { ticks.append(0) }
        var times = CPUTimes()
        times.user = ticks[0]
        times.nice = ticks[1]
        times.system = ticks[2]
        times.idle = ticks[3]
        times.iowait = ticks[4]
        times.irq = ticks[5]
        times.softirq = ticks[6]
        times.steal = ticks[7]
        times.guest = ticks[8]
        times.guestNice = ticks[9]
        return times
    }
}
