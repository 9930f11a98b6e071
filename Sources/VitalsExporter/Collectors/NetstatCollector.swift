import Logging
import Synchronization
import VitalsExposition
import VitalsProcFS
import VitalsSystem

/// `netstat`: selected protocol counters of /proc/net/netstat, snmp and snmp6, untyped, as
/// `node_netstat_<Protocol>_<Name>`.
///
/// The files hold hundreds of counters of which the default filter keeps about forty. Which
/// columns of a header line are kept is worked out once per distinct header and remembered, so a
/// scrape only builds names and parses numbers for the kept ones.
final class NetstatCollector: ConfigurableCollector {
    typealias Options = NetstatOptions
    static let name = "netstat"
    static let enabledByDefault = true

    let procFS: ProcFS
    let fields: DeviceFilter
    /// A kept column: its family name and HELP text.
    typealias Column = (name: String, help: String)
    /// Per file (netstat, snmp) and table: the kept columns and their positions.
    private let selections = Mutex([KeyMemo<[(index: Int, column: Column)]>](repeating: KeyMemo(), count: 2))
    /// Per line of /proc/net/snmp6: the kept counter's key and column, or nil.
    private let snmp6Selection = Mutex(KeyMemo<(key: String, column: Column)?>())

    init(configuration: ExporterConfiguration, logger: Logger) throws(ConfigurationError) {
        procFS = configuration.procFS
        fields = try DeviceFilter(exclude: nil, include: NetstatOptions(flags: configuration.flags).fields)
    }

    func collect() throws -> [MetricFamily] {
        var families: [MetricFamily] = []
        var seen = Set<String>(minimumCapacity: 256)
        for (fileIndex, file) in ["net/netstat", "net/snmp"].enumerated() {
            let tables = try selections.withLock { selections throws(FileSystemError) in
                try procFS.protocolTables(file) { position, header in
                    selections[fileIndex].info(at: position, key: header, make: selectedColumns)
                }
            }
            for (column, value) in tables.values where seen.insert(column.name).inserted {
                families.append(.single(column.name, column.help, .untyped, value))
            }
        }
        // snmp6 is absent on hosts without IPv6.
        try snmp6Selection.withLock { selection throws(FileSystemError) in
            _ = try procFS.snmp6 { position, name, value in
                guard let kept = selection.info(at: position, key: name, make: selectSNMP6),
                    seen.insert(kept.key).inserted
                else { return }
                families.append(.single(kept.column.name, kept.column.help, .untyped, value))
            }
        }
        return families
    }

    /// An snmp6 counter (`Ip6InReceives`) is split after its `6` into protocol and name.
    private func selectSNMP6(_ name: ArraySlice<UInt8>) -> (key: String, column: Column)? {
        guard let six = name.firstIndex(of: UInt8(ascii: "6")) else { return nil }
        let protocolName = ByteText.string(name[...six])
        let field = ByteText.string(name[(six + 1)...])
        let key = protocolName + "_" + field
        guard !fields.ignores(key) else { return nil }
        return (key, ("node_netstat_" + key, "Statistic \(protocolName)\(field)."))
    }

    /// The columns of a header line (`TcpExt: SyncookiesSent ...`) that the filter keeps.
    private func selectedColumns(_ headerLine: ArraySlice<UInt8>) -> [(index: Int, column: Column)] {
        let names = ByteText.fields(headerLine)
        var selection: [(index: Int, column: Column)] = []
        if let first = names.first, first.last == UInt8(ascii: ":") {
            let protocolName = ByteText.string(first.dropLast())
            for index in 1..<names.count {
                let field = ByteText.string(names[index])
                let keyName = protocolName + "_" + field
                if !fields.ignores(keyName) {
                    selection.append((index, ("node_netstat_" + keyName, "Statistic \(protocolName)\(field).")))
                }
            }
        }
        return selection
    }
}

struct NetstatOptions: CollectorOptions {
    static let fieldsFlag = CollectorFlag.value(
        "collector.netstat.fields",
        default:
            "^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts|TCPOFOQueue|TCPRcvQDrop)|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$",
        help: "Regexp of fields to return for netstat collector.")
    static let flags = [fieldsFlag]

    var fields: String?

    init(flags: CollectorFlagValues) { fields = flags.value(Self.fieldsFlag) }
}
