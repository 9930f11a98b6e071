import CVitalsSystem
import VitalsSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A minimal netlink client: one dump request, every reply message back.
///
/// node_exporter reads interface counters, neighbours and TCP socket states over netlink;
/// this is the same conversation without a library.
public enum Netlink {
    /// One reply message: its type and the bytes after the 16-byte header.
    public struct Message: Sendable {
        public var type: UInt16
        public var payload: ArraySlice<UInt8>
    }

    public static let routeProtocol: Int32 = 0  // NETLINK_ROUTE
    public static let socketDiagnosticsProtocol: Int32 = 4  // NETLINK_SOCK_DIAG

    private static let family: Int32 = 16  // AF_NETLINK
    private static let done: UInt16 = 3  // NLMSG_DONE
    private static let error: UInt16 = 2  // NLMSG_ERROR

    /// Sends `payload` as a dump request of `type` and collects the replies until NLMSG_DONE.
    public static func dump(
        protocol netlinkProtocol: Int32, type: UInt16, payload: [UInt8]
    ) throws(FileSystemError) -> [Message] {
        let descriptor = socket(family, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), netlinkProtocol)
        guard descriptor >= 0 else { throw FileSystemError(path: "netlink", operation: "socket", errorNumber: errno) }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request = [UInt8](repeating: 0, count: 16)
        store32(&request, 0, UInt32(16 + payload.count))
        store16(&request, 4, type)
        store16(&request, 6, 0x0001 | 0x0300)  // NLM_F_REQUEST | NLM_F_DUMP
        store32(&request, 8, 1)
        request += payload
        let sent = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        guard sent == request.count else {
            throw FileSystemError(path: "netlink", operation: "send", errorNumber: errno)
        }
        var messages: [Message] = []
        // Uninitialized: the kernel fills what it returns, and zeroing 64 KiB for each of a
        // scrape's dumps was a visible part of its cost.
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64 * 1024) {
            (buffer) throws(FileSystemError) in
            while true {
                let received = recv(descriptor, buffer.baseAddress, buffer.count, 0)
                if received < 0 {
                    if errno == EINTR { continue }
                    throw FileSystemError(path: "netlink", operation: "recv", errorNumber: errno)
                }
                if received == 0 { break }
                let datagram = Array(UnsafeBufferPointer(rebasing: buffer[0..<received]))
                var finished = false
                split(datagram[...]) { message in
                    if message.type == done || message.type == error {
                        finished = true
                    } else {
                        messages.append(message)
                    }
                }
                if finished { break }
            }
        }
        return messages
    }

    /// Splits a datagram into messages; stops at a malformed length.
    @discardableResult
    public static func split(_ datagram: ArraySlice<UInt8>, _ body: (Message) -> Void) -> Bool {
        var offset = datagram.startIndex
        while offset + 16 <= datagram.endIndex {
            let length = Int(load32(datagram, offset))
            guard length >= 16, offset + length <= datagram.endIndex else { return false }
            body(Message(type: load16(datagram, offset + 4), payload: datagram[(offset + 16)..<(offset + length)]))
            offset += (length + 3) & ~3
        }
        return true
    }

    /// Walks the `rtattr` attributes after a fixed header.
    public static func attributes(_ bytes: ArraySlice<UInt8>, _ body: (UInt16, ArraySlice<UInt8>) -> Void) -> Bool {
        var offset = bytes.startIndex
        while offset + 4 <= bytes.endIndex {
            let length = Int(load16(bytes, offset))
            let type = load16(bytes, offset + 2) & 0x3FFF
            guard length >= 4, offset + length <= bytes.endIndex else { return false }
            body(type, bytes[(offset + 4)..<(offset + length)])
            offset += (length + 3) & ~3
        }
        return true
    }

    static func store16(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt16) {
        bytes[offset] = UInt8(truncatingIfNeeded: value)
        bytes[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
    }

    static func store32(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt32) {
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }

    static func load16(_ bytes: ArraySlice<UInt8>, _ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    static func load32(_ bytes: ArraySlice<UInt8>, _ offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    static func load64(_ bytes: ArraySlice<UInt8>, _ offset: Int) -> UInt64 {
        (0..<8).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }
}
