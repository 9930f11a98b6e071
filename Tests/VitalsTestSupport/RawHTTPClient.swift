import Foundation

/// A deliberately plain HTTP/1.1 client over a blocking socket, so tests can send exactly the
/// bytes they want (malformed lines, huge headers, half requests) and see exactly what comes back.
public final class RawConnection: @unchecked Sendable {
    public let descriptor: Int32
    /// Bytes read past the end of the last response: the start of a pipelined next one.
    private var pending: [UInt8] = []

    /// Connects to 127.0.0.1:port (or another IPv4 host).
    public init(port: Int, host: String = "127.0.0.1", timeout: TimeInterval = 10) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        address.sin_port = UInt16(port).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(descriptor)
            throw MissingPrerequisite("connect to \(host):\(port) failed: errno \(errno)")
        }
        setTimeout(timeout)
    }

    public func setTimeout(_ timeout: TimeInterval) {
        var value = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { throw MissingPrerequisite("send failed: errno \(errno)") }
            offset += written
        }
    }

    /// Reads one response (by Content-Length, or until close). nil when the peer closed first.
    public func readResponse() throws -> HTTPTestResponse? {
        var buffer = pending
        pending = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let (response, consumed) = HTTPTestResponse.parse(buffer) {
                pending = Array(buffer[consumed...])
                return response
            }
            let got = recv(descriptor, &chunk, chunk.count, 0)
            if got == 0 { return HTTPTestResponse.parse(buffer, complete: true)?.response }
            if got < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK { throw MissingPrerequisite("read timed out") }
                return HTTPTestResponse.parse(buffer, complete: true)?.response
            }
            buffer += chunk[0..<got]
        }
    }

    /// Whether the server has closed the connection (reads EOF within `timeout`).
    public func isClosedByPeer(within timeout: TimeInterval) -> Bool {
        setTimeout(timeout)
        var byte: UInt8 = 0
        let got = recv(descriptor, &byte, 1, 0)
        return got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }

    deinit { close(descriptor) }
}

/// A parsed HTTP response.
public struct HTTPTestResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// The first response in `bytes` and how many bytes it took, or nil while it is incomplete.
    static func parse(_ bytes: [UInt8], complete: Bool = false) -> (response: HTTPTestResponse, consumed: Int)? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = bytes.firstRange(of: separator) else { return nil }
        let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
        let headers = head.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let body = Array(bytes[end.upperBound...])
        if headers.contains(where: { $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased().contains("chunked") }
        ) {
            guard let (decoded, used) = decodeChunked(body) else { return nil }
            return (HTTPTestResponse(status: status, headers: headers, body: decoded), end.upperBound + used)
        }
        if let length = headers.first(where: { $0.0.lowercased() == "content-length" }).flatMap({ Int($0.1) }) {
            guard body.count >= length else { return nil }
            return (
                HTTPTestResponse(status: status, headers: headers, body: Array(body.prefix(length))),
                end.upperBound + length
            )
        }
        return complete ? (HTTPTestResponse(status: status, headers: headers, body: body), bytes.count) : nil
    }
}

/// Decodes a complete chunked body and says how many bytes it took; nil until the last chunk has arrived.
private func decodeChunked(_ bytes: [UInt8]) -> ([UInt8], Int)? {
    var output: [UInt8] = []
    var index = 0
    while true {
        guard let lineEnd = bytes[index...].firstRange(of: [13, 10]) else { return nil }
        let sizeText =
            String(decoding: bytes[index..<lineEnd.lowerBound], as: UTF8.self)
            .split(separator: ";").first.map(String.init) ?? ""
        guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return nil }
        let start = lineEnd.upperBound
        if size == 0 {
            guard bytes.count >= start + 2 else { return nil }
            return (output, start + 2)
        }
        guard bytes.count >= start + size + 2 else { return nil }
        output += bytes[start..<(start + size)]
        index = start + size + 2
    }
}

/// One GET over a fresh connection.
public func httpGet(port: Int, path: String, headers: [String: String] = [:], timeout: TimeInterval = 10) throws
    -> HTTPTestResponse
{
    let connection = try RawConnection(port: port, timeout: timeout)
    var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    for (name, value) in headers { request += "\(name): \(value)\r\n" }
    try connection.send(request + "\r\n")
    guard let response = try connection.readResponse() else {
        throw MissingPrerequisite("no response to GET \(path)")
    }
    return response
}
