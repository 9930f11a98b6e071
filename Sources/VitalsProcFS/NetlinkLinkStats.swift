/// Interface counters from rtnetlink (`RTM_GETLINK` dump, `IFLA_STATS64`), the source
/// node_exporter's netdev collector uses by default. It carries more counters than
/// `/proc/net/dev` (the detailed error kinds and `rx_nohandler`).
public struct NetlinkLinkStats: Sendable, Hashable {
    /// One interface's `rtnl_link_stats64`, by field name.
    public struct Link: Sendable, Hashable {
        public var index: Int32
        public var name: String
        /// Values in the kernel's `rtnl_link_stats64` order; see ``NetlinkLinkStats/fieldNames``.
        public var counters: [UInt64]

        public func counter(_ name: String) -> UInt64? {
            guard let index = NetlinkLinkStats.fieldNames.firstIndex(of: name), index < counters.count else {
                return nil
            }
            return counters[index]
        }
    }

    /// The fields of `struct rtnl_link_stats64`, in order.
    public static let fieldNames = [
        "rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors", "rx_dropped", "tx_dropped",
        "multicast", "collisions", "rx_length_errors", "rx_over_errors", "rx_crc_errors", "rx_frame_errors",
        "rx_fifo_errors", "rx_missed_errors", "tx_aborted_errors", "tx_carrier_errors", "tx_fifo_errors",
        "tx_heartbeat_errors", "tx_window_errors", "rx_compressed", "tx_compressed", "rx_nohandler",
    ]

    public var links: [Link] = []
    public var malformedMessages = 0

    public init() {}

    private static let getLink: UInt16 = 18  // RTM_GETLINK
    private static let newLink: UInt16 = 16  // RTM_NEWLINK
    private static let interfaceName: UInt16 = 3  // IFLA_IFNAME
    private static let stats32: UInt16 = 7  // IFLA_STATS
    private static let stats64: UInt16 = 23  // IFLA_STATS64

    /// Asks the kernel for every link's statistics.
    public static func dump() throws(FileSystemError) -> NetlinkLinkStats {
        // struct ifinfomsg, all zero: every family, every interface.
        let messages = try Netlink.dump(
            protocol: Netlink.routeProtocol, type: getLink, payload: [UInt8](repeating: 0, count: 16))
        var result = NetlinkLinkStats()
        for message in messages { result.add(message) }
        return result
    }

    /// Parses one datagram of netlink messages. Returns true once it ends in NLMSG_DONE.
    @discardableResult
    public mutating func parse(_ datagram: ArraySlice<UInt8>) -> Bool {
        var finished = false
        let whole = Netlink.split(datagram) { message in
            if message.type == 3 || message.type == 2 { finished = true } else { add(message) }
        }
        if !whole { malformedMessages += 1 }
        return finished || !whole
    }

    private mutating func add(_ message: Netlink.Message) {
        guard message.type == Self.newLink, message.payload.count >= 16 else { return }
        let index = Int32(bitPattern: Netlink.load32(message.payload, message.payload.startIndex + 4))
        var name: String?
        var counters: [UInt64]?
        let whole = Netlink.attributes(message.payload.dropFirst(16)) { type, payload in
            switch type {
            case Self.interfaceName:
                name = String(decoding: payload.prefix { $0 != 0 }, as: UTF8.self)
            case Self.stats64:
                counters = stride(from: payload.startIndex, to: payload.endIndex - 7, by: 8).map {
                    Netlink.load64(payload, $0)
                }
            case Self.stats32 where counters == nil:
                counters = stride(from: payload.startIndex, to: payload.endIndex - 3, by: 4).map {
                    UInt64(Netlink.load32(payload, $0))
                }
            default:
                break
            }
        }
        if !whole { malformedMessages += 1 }
        guard let name, let counters else { return }
        links.append(Link(index: index, name: name, counters: Array(counters.prefix(Self.fieldNames.count))))
    }
}

/// IPv4 neighbours (the ARP table) from rtnetlink, counted per interface index.
public struct NetlinkNeighbours: Sendable, Hashable {
    /// Entries per interface index, without `NUD_NOARP` ones (which /proc/net/arp does not list).
    public var entriesByInterfaceIndex: [Int32: Int] = [:]

    public static func dump() throws(FileSystemError) -> NetlinkNeighbours {
        // struct ndmsg: family AF_INET, then zeros.
        var request = [UInt8](repeating: 0, count: 12)
        request[0] = 2
        let messages = try Netlink.dump(protocol: Netlink.routeProtocol, type: 30, payload: request)  // RTM_GETNEIGH
        var result = NetlinkNeighbours()
        for message in messages where message.type == 28 && message.payload.count >= 12 {  // RTM_NEWNEIGH
            let base = message.payload.startIndex
            guard message.payload[base] == 2 else { continue }
            let index = Int32(bitPattern: Netlink.load32(message.payload, base + 4))
            let state = Netlink.load16(message.payload, base + 8)
            if state & 0x40 != 0 { continue }  // NUD_NOARP
            result.entriesByInterfaceIndex[index, default: 0] += 1
        }
        return result
    }
}

/// TCP sockets by state and their queued bytes, from `NETLINK_SOCK_DIAG` (`inet_diag`).
public struct TCPSocketStates: Sendable, Hashable {
    /// Sockets per kernel TCP state number (1 = ESTABLISHED … 11 = CLOSING).
    public var sockets: [UInt8: Int] = [:]
    public var receiveQueuedBytes: UInt64 = 0
    public var transmitQueuedBytes: UInt64 = 0

    public init() {}

    /// Dumps the TCP sockets of one address family (AF_INET = 2, AF_INET6 = 10).
    public static func dump(family: UInt8) throws(FileSystemError) -> TCPSocketStates {
        var request = [UInt8](repeating: 0, count: 56)  // struct inet_diag_req_v2
        request[0] = family
        request[1] = 6  // IPPROTO_TCP
        request[2] = 1 << 1  // INET_DIAG_INFO
        Netlink.store32(&request, 4, 0xFFF)  // every state
        let messages = try Netlink.dump(protocol: Netlink.socketDiagnosticsProtocol, type: 20, payload: request)
        var result = TCPSocketStates()
        for message in messages where message.payload.count >= 72 {
            let base = message.payload.startIndex
            result.sockets[message.payload[base + 1], default: 0] += 1
            result.receiveQueuedBytes &+= UInt64(Netlink.load32(message.payload, base + 56))
            result.transmitQueuedBytes &+= UInt64(Netlink.load32(message.payload, base + 60))
        }
        return result
    }
}
