import NIOCore
import NIOPosix

extension ClientBootstrap {
    /// Connects without a resolver round trip when the host is an IP address.
    ///
    /// NIO's name resolution runs `getaddrinfo` on a thread pool; for the IP literals most
    /// probe targets are, that hand-off cost more CPU than the probe itself.
    func connect(probing host: String, port: Int) -> EventLoopFuture<any Channel> {
        if let address = try? SocketAddress(ipAddress: host, port: port) {
            return connect(to: address).flatMapErrorThrowing { error in
                guard let error = error as? IOError else { throw error }
                throw DialError(host: host, port: port, underlying: error)
            }
        }
        return connect(host: host, port: port)
    }
}
