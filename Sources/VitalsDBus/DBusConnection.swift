#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A blocking D-Bus client connection over a Unix socket: EXTERNAL authentication, pipelined
/// method calls, replies matched by serial.
///
/// Blocking is deliberate: collectors run on the exporter's worker threads with a deadline,
/// and every socket operation is bounded by `timeout`.
public final class DBusConnection {
    private let descriptor: Int32
    private var nextSerial: UInt32 = 1
    private var buffer: [UInt8] = []

    /// The address in `DBUS_SYSTEM_BUS_ADDRESS` (`unix:path=...`), or the standard system bus socket.
    public static func systemBusPath(environment: String?) -> String {
        for entry in (environment ?? "").split(separator: ";") {
            guard entry.hasPrefix("unix:") else { continue }
            for pair in entry.dropFirst(5).split(separator: ",") where pair.hasPrefix("path=") {
                return String(pair.dropFirst(5))
            }
        }
        return "/var/run/dbus/system_bus_socket"
    }

    /// Connects and authenticates; with `hello`, registers on a bus (a bus daemon needs it,
    /// systemd's private socket does not).
    public init(path: String, hello: Bool, timeoutSeconds: Int = 5) throws(DBusError) {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw DBusError("socket: \(Self.reason())") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.utf8.count < capacity else {
            close(descriptor)
            throw DBusError("dial unix \(path): the path is too long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in raw.copyBytes(from: Array(path.utf8)) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            let reason = Self.reason()
            close(descriptor)
            throw DBusError("dial unix \(path): connect: \(reason)")
        }
        do {
            try authenticate()
            if hello {
                _ = try call([
                    Call(
                        destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus",
                        interface: "org.freedesktop.DBus",
                        member: "Hello")
                ])[0].get()
            }
        } catch {
            close(descriptor)
            throw error
        }
    }

    deinit { close(descriptor) }

    /// One method call.
    public struct Call: Sendable {
        public var destination: String?
        public var path: String
        public var interface: String
        public var member: String
        public var arguments: [String]

        public init(destination: String?, path: String, interface: String, member: String, arguments: [String] = []) {
            self.destination = destination
            self.path = path
            self.interface = interface
            self.member = member
            self.arguments = arguments
        }
    }

    /// Sends every call, then collects the replies: one round trip for many properties.
    public func call(_ calls: [Call]) throws(DBusError) -> [Result<[DBusValue], DBusError>] {
        var serials: [UInt32: Int] = [:]
        var outgoing: [UInt8] = []
        for (index, call) in calls.enumerated() {
            let serial = nextSerial
            nextSerial &+= 1
            serials[serial] = index
            outgoing += DBusMessage.methodCall(
                serial: serial, destination: call.destination, path: call.path, interface: call.interface,
                member: call.member, arguments: call.arguments)
        }
        try send(outgoing)
        var results = [Result<[DBusValue], DBusError>?](repeating: nil, count: calls.count)
        var pending = calls.count
        while pending > 0 {
            let message = try receive()
            guard let replyTo = message.replySerial, let index = serials[replyTo], results[index] == nil else {
                continue
            }
            switch message.kind {
            case .methodReturn: results[index] = .success(message.body)
            case .error:
                let detail = message.body.first?.text.map { ": \($0)" } ?? ""
                results[index] = .failure(DBusError("\(message.errorName ?? "D-Bus error")\(detail)"))
            default: continue
            }
            pending -= 1
        }
        return results.map { $0! }
    }

    private func authenticate() throws(DBusError) {
        let uid = String(getuid())
        let hex = uid.utf8.map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]], as: UTF8.self)
        }.joined()
        try send([0] + Array("AUTH EXTERNAL \(hex)\r\n".utf8))
        let answer = try readLine()
        guard answer.hasPrefix("OK ") else { throw DBusError("D-Bus authentication was refused: \(answer)") }
        try send(Array("BEGIN\r\n".utf8))
    }

    private func readLine() throws(DBusError) -> String {
        while true {
            if let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeSubrange(...end)
                return line.hasSuffix("\r") ? String(line.dropLast()) : line
            }
            guard buffer.count < 4096 else { throw DBusError("D-Bus authentication answer too long") }
            try fill()
        }
    }

    private func receive() throws(DBusError) -> DBusMessage {
        while buffer.count < 16 { try fill() }
        let total = try DBusMessage.totalLength(prefix: Array(buffer.prefix(16)))
        while buffer.count < total { try fill() }
        let message = Array(buffer[..<total])
        buffer.removeSubrange(..<total)
        return try DBusMessage.parse(message)
    }

    private func fill() throws(DBusError) {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            buffer += chunk[..<count]
            return
        }
        if count == 0 { throw DBusError("D-Bus connection closed") }
        if errno == EINTR { return }
        throw DBusError(
            errno == EAGAIN || errno == EWOULDBLOCK ? "D-Bus read timed out" : "D-Bus read: \(Self.reason())")
    }

    private func send(_ bytes: [UInt8]) throws(DBusError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw DBusError("D-Bus write: \(Self.reason())")
            }
            offset += written
        }
    }

    private static func reason() -> String { String(cString: strerror(errno)) }
}
