#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Interface counters from rtnetlink (`RTM_GETLINK` dump, `IFLA_STATS64`), the source
/// node_exporter's netdev collector uses by default. It carries more counters than
/// `/proc/net/dev` (the detailed error kinds and `rx_nohandler`).
public struct NetlinkLinkStats: Sendable, Hashable {
    /// One interface's `rtnl_link_stats64`, by field name.
    public struct Link: Sendable, Hashable {
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

    private static let netlinkFamily: Int32 = 16  // AF_NETLINK
    private static let routeProtocol: Int32 = 0  // NETLINK_ROUTE
    private static let getLink: UInt16 = 18  // RTM_GETLINK
    private static let newLink: UInt16 = 16  // RTM_NEWLINK
    private static let done: UInt16 = 3  // NLMSG_DONE
    private static let errorMessage: UInt16 = 2  // NLMSG_ERROR
    private static let interfaceName: UInt16 = 3  // IFLA_IFNAME
    private static let stats32: UInt16 = 7  // IFLA_STATS
    private static let stats64: UInt16 = 23  // IFLA_STATS64

    /// Asks the kernel for every link's statistics.
    public static func dump() throws(FileSystemError) -> NetlinkLinkStats {
        let socketDescriptor = socket(netlinkFamily, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), routeProtocol)
        guard socketDescriptor >= 0 else {
            throw FileSystemError(path: "netlink", operation: "socket", errorNumber: errno)
        }
        defer { close(socketDescriptor) }
        // nlmsghdr (16 bytes) + ifinfomsg (16 bytes), little endian on every supported host.
        var request = [UInt8](repeating: 0, count: 32)
        store32(&request, 0, 32)
        store16(&request, 4, getLink)
        store16(&request, 6, 0x0001 | 0x0300)  // NLM_F_REQUEST | NLM_F_DUMP
        store32(&request, 8, 1)
        let sent = request.withUnsafeBytes { send(socketDescriptor, $0.baseAddress, $0.count, 0) }
        guard sent == request.count else {
            throw FileSystemError(path: "netlink", operation: "send", errorNumber: errno)
        }
        var result = NetlinkLinkStats()
        var buffer = [UInt8](repeating: 0, count: 32 * 1024)
        while true {
            let received = buffer.withUnsafeMutableBytes { recv(socketDescriptor, $0.baseAddress, $0.count, 0) }
            if received < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(path: "netlink", operation: "recv", errorNumber: errno)
            }
            if received == 0 { break }
            if result.parse(buffer[0..<received]) { break }
        }
        return result
    }

    /// Parses one datagram of netlink messages. Returns true once `NLMSG_DONE` is seen.
    @discardableResult
    public mutating func parse(_ datagram: ArraySlice<UInt8>) -> Bool {
        var offset = datagram.startIndex
        while offset + 16 <= datagram.endIndex {
            let length = Int(Self.load32(datagram, offset))
            let type = Self.load16(datagram, offset + 4)
            guard length >= 16, offset + length <= datagram.endIndex else {
                malformedMessages += 1
                return true
            }
            if type == Self.done || type == Self.errorMessage { return true }
            if type == Self.newLink, length >= 32 {
                parseLink(datagram[(offset + 32)..<(offset + length)])
            }
            offset += (length + 3) & ~3
        }
        return false
    }

    private mutating func parseLink(_ attributes: ArraySlice<UInt8>) {
        var name: String?
        var counters: [UInt64]?
        var offset = attributes.startIndex
        while offset + 4 <= attributes.endIndex {
            let length = Int(Self.load16(attributes, offset))
            let type = Self.load16(attributes, offset + 2) & 0x3FFF
            guard length >= 4, offset + length <= attributes.endIndex else {
                malformedMessages += 1
                return
            }
            let payload = attributes[(offset + 4)..<(offset + length)]
            switch type {
            case Self.interfaceName:
                name = String(decoding: payload.prefix { $0 != 0 }, as: UTF8.self)
            case Self.stats64:
                counters = stride(from: payload.startIndex, to: payload.endIndex - 7, by: 8).map {
                    Self.load64(payload, $0)
                }
            case Self.stats32 where counters == nil:
                counters = stride(from: payload.startIndex, to: payload.endIndex - 3, by: 4).map {
                    UInt64(Self.load32(payload, $0))
                }
            default:
                break
            }
            offset += (length + 3) & ~3
        }
        guard let name, let counters else { return }
        links.append(Link(name: name, counters: Array(counters.prefix(Self.fieldNames.count))))
    }

    private static func store16(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt16) {
        bytes[offset] = UInt8(truncatingIfNeeded: value)
        bytes[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
    }

    private static func store32(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt32) {
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }

    private static func load16(_ bytes: ArraySlice<UInt8>, _ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    private static func load32(_ bytes: ArraySlice<UInt8>, _ offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    private static func load64(_ bytes: ArraySlice<UInt8>, _ offset: Int) -> UInt64 {
        (0..<8).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }
}
