import VitalsSystem

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
