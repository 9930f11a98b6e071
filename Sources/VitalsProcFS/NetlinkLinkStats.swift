import VitalsSystem

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
