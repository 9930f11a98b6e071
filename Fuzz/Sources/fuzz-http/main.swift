import Dispatch
import FuzzSupport
import Glibc
import Logging
import NIOCore
import VitalsHTTP

/// The HTTP request path, end to end: each input is sent as raw bytes to a server running in this
/// process, on loopback, and the answer read until the server closes or a second passes. A crash
/// or a hang in the server is a finding.
struct Answer: HTTPResponder {
    func respond(to request: HTTPRequest) async -> HTTPResponse {
        .text("ok \(request.path) \(request.query.count)\n")
    }
}

var configuration = HTTPServerConfiguration(listenAddresses: [ListenAddress(host: "127.0.0.1", port: 0)])
configuration.requestReadTimeout = .milliseconds(200)
configuration.idleTimeout = .milliseconds(200)
var logger = Logger(label: "fuzz")
logger.logLevel = .critical
let server = HTTPServer(configuration: configuration, responder: Answer(), logger: logger)
let port: Int = {
    let semaphore = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var bound = 0
    // Detached: the top-level code holds the main thread until the server is listening.
    Task.detached {
        bound = (try? await server.start().first?.port) ?? 0
        semaphore.signal()
    }
    semaphore.wait()
    return bound
}()
guard port > 0 else { fatalError("the server did not start") }

FuzzDriver.run { bytes in
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    // libFuzzer's timeout alarm (SIGALRM) can interrupt a blocking connect; the connection then
    // completes in the background, and whether it did is read once the socket is writable.
    if connected != 0 {
        guard errno == EINTR else { fatalError("the server stopped accepting: errno \(errno)") }
        var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
        while poll(&ready, 1, 5_000) < 0, errno == EINTR {}
        var failure: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &failure, &length)
        guard ready.revents & Int16(POLLOUT) != 0, failure == 0 else {
            fatalError("the server stopped accepting: errno \(failure) after an interrupted connect")
        }
    }
    var timeout = timeval(tv_sec: 1, tv_usec: 0)
    setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    _ = bytes.withMemoryRebound(to: UInt8.self) { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    shutdown(descriptor, Int32(SHUT_WR))
    var buffer = [UInt8](repeating: 0, count: 65536)
    while recv(descriptor, &buffer, buffer.count, 0) > 0 {}
}
