import VitalsSystem

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
