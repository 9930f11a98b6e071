import VitalsSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

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

    /// The kernel's name for an interface index, or nil when no interface has it (any more).
    ///
    /// One ioctl per name: neighbours sit on a few interfaces, and a link dump, which node_exporter
    /// asks for here, makes the kernel write every interface's counters to name them.
    public static func interfaceName(index: Int32) -> String? {
        guard index > 0 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(IF_NAMESIZE)) { buffer in
            guard let name = if_indextoname(UInt32(index), buffer.baseAddress!) else { return nil }
            return String(cString: name)
        }
    }
}
