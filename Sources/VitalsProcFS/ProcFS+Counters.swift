import VitalsSystem

/// Accessors for the counter and table files of /proc that the smaller collectors read: each reads
/// one file, parses it with the snapshot type's pure `parse`, and counts skipped lines, so that a
/// collector only turns the snapshot into metric families.
extension ProcFS {
    /// A file that some kernels lack: nil when it is absent.
    private func optional<Snapshot>(
        _ file: String, _ parse: ([UInt8]) -> Snapshot, _ lines: KeyPath<Snapshot, Int>
    ) throws(FileSystemError) -> Snapshot? {
        guard let bytes = try ifPresent({ () throws(FileSystemError) in try read(file) }) else { return nil }
        return counted(parse(bytes), file, lines)
    }

    /// `/proc/vmstat` entry by entry (``KeyValueStats/forEachEntry(_:_:)``).
    public func vmstat(
        _ body: (_ position: Int, _ name: ArraySlice<UInt8>, _ value: Double) -> Void
    ) throws(FileSystemError) {
        tally?.record(KeyValueStats.forEachEntry(try read("vmstat"), body), in: path("vmstat"))
    }

    /// `/proc/net/snmp6` entry by entry; false when the file is absent (no IPv6).
    public func snmp6(
        _ body: (_ position: Int, _ name: ArraySlice<UInt8>, _ value: Double) -> Void
    ) throws(FileSystemError) -> Bool {
        guard let bytes = try ifPresent({ () throws(FileSystemError) in try read("net/snmp6") }) else { return false }
        tally?.record(KeyValueStats.forEachEntry(bytes, body), in: path("net/snmp6"))
        return true
    }

    /// `/proc/net/softnet_stat`.
    public func softnetStat() throws(FileSystemError) -> SoftnetStat {
        counted(SoftnetStat.parse(try read("net/softnet_stat")), "net/softnet_stat", \.malformedLines)
    }

    /// `/proc/schedstat`; nil on kernels built without scheduler statistics.
    public func schedstat() throws(FileSystemError) -> Schedstat? {
        try optional("schedstat", Schedstat.parse, \.malformedLines)
    }

    /// `/proc/pressure/<resource>`; nil when the kernel has no such resource (irq before 6.1). A
    /// kernel booted with `psi=0` answers EOPNOTSUPP (95), thrown as it is.
    public func pressure(_ resource: String) throws(FileSystemError) -> PressureStats? {
        try optional("pressure/\(resource)", PressureStats.parse, \.malformedLines)
    }

    /// `/proc/net/arp`.
    public func arpTable() throws(FileSystemError) -> ARPTable {
        counted(ARPTable.parse(try read("net/arp")), "net/arp", \.malformedLines)
    }

    /// `/proc/interrupts`.
    public func interrupts() throws -> Interrupts {
        counted(try Interrupts.parse(try read("interrupts"), file: path("interrupts")), "interrupts", \.malformedLines)
    }

    /// `/proc/net/sockstat` or `/proc/net/sockstat6`; nil when absent (no IPv6).
    public func sockstat(_ file: String) throws(FileSystemError) -> Sockstat? {
        try optional(file, Sockstat.parse, \.malformedLines)
    }

    /// The queues of a socket table, `/proc/net/udp` or `/proc/net/udp6`; nil when absent.
    public func socketQueues(_ file: String) throws(FileSystemError) -> SocketQueueSummary? {
        try optional(file, SocketQueueSummary.parse, \.malformedLines)
    }

    /// `/proc/net/stat/nf_conntrack`.
    public func conntrackStat() throws(FileSystemError) -> ConntrackStat {
        counted(ConntrackStat.parse(try read("net/stat/nf_conntrack")), "net/stat/nf_conntrack", \.malformedLines)
    }

    /// `/proc/sys/fs/file-nr`.
    public func fileHandles() throws -> FileHandles {
        try FileHandles.parse(try read("sys/fs/file-nr"), file: path("sys/fs/file-nr"))
    }

    /// `/proc/sys/kernel/random/{entropy_avail,poolsize}`.
    public func entropyPool() throws -> EntropyPool {
        func value(_ name: String) throws -> Double {
            let file = path("sys/kernel/random", name)
            return try EntropyPool.parseValue(try FileAccess.readAttribute(file), file: file)
        }
        return EntropyPool(availableBits: try value("entropy_avail"), poolSizeBits: try value("poolsize"))
    }
}

extension ProcFS {
    /// `/proc/net/netstat` or `/proc/net/snmp`, with only the columns `columns` picks parsed.
    @inlinable
    public func protocolTables<Column: Sendable>(
        _ file: String, columns: (_ position: Int, _ header: ArraySlice<UInt8>) -> [(index: Int, column: Column)]
    ) throws(FileSystemError) -> ProtocolTables<Column> {
        let tables = ProtocolTables.parse(try read(file), columns: columns)
        tally?.record(tables.malformedLines, in: path(file))
        return tables
    }

}
