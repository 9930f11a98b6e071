/// One container's resource accounting, from its cgroup's files, in cAdvisor's terms: what
/// `container_*` metrics report. Fields are nil where the host's cgroup layout has no such file.
public struct CgroupStats: Sendable, Hashable {
    /// 1 or 2: which hierarchy the memory figures came from.
    public var version = 2

    public var cpuUsageSeconds: Double?
    public var cpuUserSeconds: Double?
    public var cpuSystemSeconds: Double?
    public var cfsPeriods: UInt64?
    public var cfsThrottledPeriods: UInt64?
    public var cfsThrottledSeconds: Double?

    public var memoryUsage: UInt64?
    /// cAdvisor's working set: usage minus inactive file pages (never below 0).
    public var memoryWorkingSet: UInt64?
    public var memoryRSS: UInt64?
    public var memoryCache: UInt64?
    public var memorySwap: UInt64?
    /// nil when unlimited.
    public var memoryLimit: UInt64?
    /// v1: `memory.failcnt`; v2: the `max` events of `memory.events`.
    public var memoryFailcnt: UInt64?
    /// OOM kills in the cgroup (`oom_kill` of memory.oom_control on v1, of memory.events on v2).
    public var oomKills: UInt64?

    public struct BlockIO: Sendable, Hashable {
        public var major: Int
        public var minor: Int
        public var readBytes: UInt64 = 0
        public var writeBytes: UInt64 = 0
        public var reads: UInt64 = 0
        public var writes: UInt64 = 0

        public init(major: Int, minor: Int) {
            self.major = major
            self.minor = minor
        }
    }

    /// Per device, ordered by major and minor number.
    public var blockIO: [BlockIO] = []

    public var tasks: UInt64?
    /// nil when unlimited.
    public var tasksLimit: UInt64?

    public var cpuPressure: PressureStats?
    public var memoryPressure: PressureStats?
    public var ioPressure: PressureStats?

    public var malformedLines = 0

    public init() {}

    // MARK: v1 files

    /// `cpuacct.stat`: user and system time in USER_HZ (100 per second on Linux).
    public mutating func parseCPUAcctStat(_ bytes: [UInt8]) {
        for (key, value) in pairs(bytes) {
            if key == "user" { cpuUserSeconds = Double(value) / 100 }
            if key == "system" { cpuSystemSeconds = Double(value) / 100 }
        }
    }

    /// `cpu.stat` on v1 (`nr_periods`, `nr_throttled`, `throttled_time` in ns) or v2
    /// (`usage_usec`, `user_usec`, `system_usec`, `nr_periods`, `nr_throttled`, `throttled_usec`).
    public mutating func parseCPUStat(_ bytes: [UInt8]) {
        for (key, value) in pairs(bytes) {
            switch key {
            case "nr_periods": cfsPeriods = value
            case "nr_throttled": cfsThrottledPeriods = value
            case "throttled_time": cfsThrottledSeconds = Double(value) / 1e9
            case "throttled_usec": cfsThrottledSeconds = Double(value) / 1e6
            case "usage_usec": cpuUsageSeconds = Double(value) / 1e6
            case "user_usec": cpuUserSeconds = Double(value) / 1e6
            case "system_usec": cpuSystemSeconds = Double(value) / 1e6
            default: break
            }
        }
    }

    /// v1 `memory.stat`, with usage already read: the hierarchical `total_*` figures, as cAdvisor.
    public mutating func parseMemoryStatV1(_ bytes: [UInt8]) {
        let stat = Dictionary(pairs(bytes), uniquingKeysWith: { _, last in last })
        memoryRSS = stat["total_rss"] ?? stat["rss"]
        memoryCache = stat["total_cache"] ?? stat["cache"]
        setWorkingSet(inactiveFile: stat["total_inactive_file"] ?? stat["inactive_file"])
    }

    /// v2 `memory.stat`: anon is the RSS, file the cache.
    public mutating func parseMemoryStatV2(_ bytes: [UInt8]) {
        let stat = Dictionary(pairs(bytes), uniquingKeysWith: { _, last in last })
        memoryRSS = stat["anon"]
        memoryCache = stat["file"]
        setWorkingSet(inactiveFile: stat["inactive_file"])
    }

    mutating func setWorkingSet(inactiveFile: UInt64?) {
        guard let usage = memoryUsage else { return }
        let inactive = inactiveFile ?? 0
        memoryWorkingSet = usage > inactive ? usage - inactive : 0
    }

    /// v1 `memory.oom_control`, v2 `memory.events`: the `oom_kill` count (and v2's `max` hits).
    public mutating func parseMemoryEvents(_ bytes: [UInt8], failcntFromMax: Bool) {
        for (key, value) in pairs(bytes) {
            if key == "oom_kill" { oomKills = value }
            if failcntFromMax, key == "max" { memoryFailcnt = value }
        }
    }

    /// v1 `blkio.throttle.io_service_bytes` / `io_serviced`: `MAJ:MIN Read|Write|… N` lines.
    public mutating func parseBlkio(_ bytes: [UInt8], operations: Bool) {
        ByteText.forEachLine(bytes) { line in
            let fields = ByteText.fields(line)
            guard fields.count == 3 else {
                // "Total N" closes the file.
                if !(fields.count == 2 && ByteText.equals(fields[0], "Total")) && !fields.isEmpty {
                    malformedLines += 1
                }
                return
            }
            guard let (major, minor) = Self.device(fields[0]), let value = ByteText.parseUInt64(fields[2]) else {
                malformedLines += 1
                return
            }
            let index = deviceIndex(major, minor)
            if ByteText.equals(fields[1], "Read") {
                if operations { blockIO[index].reads = value } else { blockIO[index].readBytes = value }
            } else if ByteText.equals(fields[1], "Write") {
                if operations { blockIO[index].writes = value } else { blockIO[index].writeBytes = value }
            }
        }
    }

    /// v2 `io.stat`: `MAJ:MIN rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N`.
    public mutating func parseIOStat(_ bytes: [UInt8]) {
        ByteText.forEachLine(bytes) { line in
            let fields = ByteText.fields(line)
            guard let first = fields.first else { return }
            guard let (major, minor) = Self.device(first) else {
                malformedLines += 1
                return
            }
            let index = deviceIndex(major, minor)
            for field in fields.dropFirst() {
                guard let equals = field.firstIndex(of: UInt8(ascii: "=")),
                    let value = ByteText.parseUInt64(field[(equals + 1)...])
                else {
                    malformedLines += 1
                    continue
                }
                let key = field[..<equals]
                if ByteText.equals(key, "rbytes") { blockIO[index].readBytes = value }
                if ByteText.equals(key, "wbytes") { blockIO[index].writeBytes = value }
                if ByteText.equals(key, "rios") { blockIO[index].reads = value }
                if ByteText.equals(key, "wios") { blockIO[index].writes = value }
            }
        }
    }

    private mutating func deviceIndex(_ major: Int, _ minor: Int) -> Int {
        if let index = blockIO.firstIndex(where: { $0.major == major && $0.minor == minor }) { return index }
        let index = blockIO.firstIndex { ($0.major, $0.minor) > (major, minor) } ?? blockIO.count
        blockIO.insert(BlockIO(major: major, minor: minor), at: index)
        return index
    }

    static func device(_ field: ArraySlice<UInt8>) -> (Int, Int)? {
        guard let colon = field.firstIndex(of: UInt8(ascii: ":")),
            let major = ByteText.parseUInt64(field[..<colon]).flatMap(Int.init(exactly:)),
            let minor = ByteText.parseUInt64(field[(colon + 1)...]).flatMap(Int.init(exactly:))
        else { return nil }
        return (major, minor)
    }

    /// A file of one number, or `max` (unlimited: nil).
    static func limit(_ bytes: [UInt8]) -> UInt64?? {
        let text = ByteText.trimmedString(bytes[...])
        if text == "max" { return .some(nil) }
        guard let value = UInt64(text) else { return nil }
        return .some(value)
    }

    /// `key value` lines; a line that is not one is counted.
    private mutating func pairs(_ bytes: [UInt8]) -> [(key: String, value: UInt64)] {
        var pairs: [(key: String, value: UInt64)] = []
        ByteText.forEachLine(bytes) { line in
            let fields = ByteText.fields(line)
            guard !fields.isEmpty else { return }
            guard fields.count == 2, let value = ByteText.parseUInt64(fields[1]) else {
                malformedLines += 1
                return
            }
            pairs.append((ByteText.string(fields[0]), value))
        }
        return pairs
    }
}
