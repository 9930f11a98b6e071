import NIOCore
import NIOPosix

/// Opens a probe's connection to `host:port`.
///
/// At once when the host is an IP address (most probe targets are, and the resolver hand-off
/// would cost more CPU than the probe); otherwise through the resolver, trying each address in
/// turn, as Go's dialer does, until one connects or the deadline passes.
enum ProbeDialer {
    /// Connects one socket to `address`, giving up after `timeout`.
    typealias Connect = @Sendable (_ address: SocketAddress, _ timeout: TimeAmount) -> EventLoopFuture<any Channel>

    static func connect(
        host: String, port: Int, resolver: HostResolver, deadline: NIODeadline, on loop: any EventLoop,
        using connect: @escaping Connect
    ) -> EventLoopFuture<any Channel> {
        if let address = try? SocketAddress(ipAddress: host, port: port) {
            return connect(address, deadline - .now()).flatMapErrorThrowing { error in
                guard let error = error as? IOError else { throw error }
                throw DialError(host: host, port: port, underlying: error)
            }
        }
        return resolver.resolve(host, on: loop, deadline: deadline)
            .flatMapErrorThrowing { error in
                guard let failure = error as? HostResolver.Failure else { throw error }
                throw DialError(host: host, port: port, reason: failure.description)
            }
            .flatMap { addresses in
                firstConnecting(addresses[...], host: host, port: port, deadline: deadline, on: loop, using: connect)
            }
    }

    private static func firstConnecting(
        _ addresses: ArraySlice<String>, host: String, port: Int, deadline: NIODeadline, on loop: any EventLoop,
        using connect: @escaping Connect
    ) -> EventLoopFuture<any Channel> {
        guard let first = addresses.first, let address = try? SocketAddress(ipAddress: first, port: port) else {
            return loop.makeFailedFuture(DialError(host: host, port: port, reason: "no address to connect to"))
        }
        let rest = addresses.dropFirst()
        return connect(address, deadline - .now()).flatMapError { error in
            if !rest.isEmpty, deadline > .now() {
                return firstConnecting(rest, host: host, port: port, deadline: deadline, on: loop, using: connect)
            }
            guard let error = error as? IOError else { return loop.makeFailedFuture(error) }
            return loop.makeFailedFuture(DialError(host: host, port: port, underlying: error))
        }
    }
}
