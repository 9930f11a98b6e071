import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import VitalsStack

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The kubelet's HTTP probe on a fresh connection each time: GET, success for 200–399, same-host
/// redirects followed up to 10 times, a redirect to another host not followed (success, with a
/// warning), at most 10 KiB of body read, no proxy, certificates not verified unless asked.
struct HTTPProbe: Sendable {
    static let maxBodyBytes = 10 * 1024
    static let maxRedirects = 10

    let group: any EventLoopGroup
    let resolver: HostResolver
    let userAgent: String
    let insecureTLS: NIOSSLContext
    let verifyingTLS: NIOSSLContext

    struct Target: Sendable {
        var scheme: HTTPGetAction.Scheme
        var host: String
        var port: Int
        var path: String
    }

    struct Response: Sendable {
        var status: Int
        var location: String?
    }

    func run(
        _ action: HTTPGetAction, endpoint: Endpoint, deadline: NIODeadline
    ) -> EventLoopFuture<ProbeResult> {
        let target = Target(
            scheme: action.scheme, host: action.host ?? endpoint.host, port: action.port ?? endpoint.port,
            path: action.path)
        let loop = group.any()  // the calling loop when on one: no cross-thread hop
        return loop.runHere {
            follow(target, action: action, redirects: 0, deadline: deadline, on: loop)
        }.flatMap { result in
            // The HTTP kinds fall back to /health for services that only have that endpoint.
            guard result.statusCode == 404, let fallback = action.fallbackPath else {
                return loop.makeSucceededFuture(result)
            }
            var fallbackTarget = target
            fallbackTarget.path = fallback
            return follow(fallbackTarget, action: action, redirects: 0, deadline: deadline, on: loop)
        }
    }

    private func follow(
        _ target: Target, action: HTTPGetAction, redirects: Int, deadline: NIODeadline, on loop: any EventLoop
    ) -> EventLoopFuture<ProbeResult> {
        fetch(target, action: action, deadline: deadline, on: loop).flatMap { response in
            guard (300..<400).contains(response.status), let location = response.location else {
                return loop.makeSucceededFuture(Self.verdict(response.status))
            }
            guard let next = Self.resolve(location, from: target) else {
                return loop.makeSucceededFuture(Self.verdict(response.status))
            }
            guard next.host == target.host else {
                var result = Self.verdict(response.status)
                result.message = "probe terminated redirects to another host (\(location))"
                return loop.makeSucceededFuture(result)
            }
            guard redirects < Self.maxRedirects else {
                return loop.makeSucceededFuture(
                    .failure("stopped after \(Self.maxRedirects) redirects", statusCode: response.status))
            }
            return follow(next, action: action, redirects: redirects + 1, deadline: deadline, on: loop)
        }.flatMapErrorThrowing { error in
            .failure(Self.describe(error))
        }
    }

    static func verdict(_ status: Int) -> ProbeResult {
        if (200..<400).contains(status) { return ProbeResult(outcome: .success, statusCode: status) }
        return .failure("HTTP probe failed with statuscode: \(status)", statusCode: status)
    }

    /// One request on a new connection.
    private func fetch(
        _ target: Target, action: HTTPGetAction, deadline: NIODeadline, on loop: any EventLoop
    ) -> EventLoopFuture<Response> {
        let promise = OncePromise(loop.makePromise(of: Response.self))
        let tls: NIOSSLContext? =
            target.scheme == .https ? (action.verifyTLS ? verifyingTLS : insecureTLS) : nil
        let timeout = deadline - .now()
        guard timeout > .zero else {
            promise.fail(ProbeError.timedOut)
            return promise.future
        }
        let connect: ProbeDialer.Connect = { address, timeout in
            ClientBootstrap(group: loop)
                .connectTimeout(timeout)
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        if let tls {
                            let hostname = Self.isIPAddress(target.host) ? nil : target.host
                            try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: hostname))
                        }
                        try pipeline.addHTTPClientHandlers()
                        try pipeline.addHandler(ResponseCollector(promise: promise))
                    }
                }
                .connect(to: address)
        }
        let dialed = ProbeDialer.connect(
            host: target.host, port: target.port, resolver: resolver, deadline: deadline, on: loop, using: connect)
        dialed.whenComplete { result in
            switch result {
            case .failure(let error):
                promise.fail(error)
            case .success(let channel):
                let timer = channel.eventLoop.scheduleTask(deadline: deadline) {
                    promise.fail(ProbeError.timedOut)
                    channel.close(promise: nil)
                }
                promise.future.whenComplete { _ in
                    timer.cancel()
                    channel.close(promise: nil)
                }
                var headers = HTTPHeaders()
                let hostHeader =
                    target.port == (target.scheme == .https ? 443 : 80) ? target.host : "\(target.host):\(target.port)"
                headers.add(name: "Host", value: hostHeader)
                headers.add(name: "User-Agent", value: userAgent)
                headers.add(name: "Accept", value: "*/*")
                headers.add(name: "Connection", value: "close")
                for header in action.headers { headers.replaceOrAdd(name: header.name, value: header.value) }
                let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target.path, headers: headers)
                channel.write(HTTPClientRequestPart.head(head), promise: nil)
                channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            }
        }
        return promise.future
    }

    /// Resolves a Location header against the current target (absolute URL or absolute path).
    static func resolve(_ location: String, from target: Target) -> Target? {
        if location.hasPrefix("/") {
            var next = target
            next.path = location
            return next
        }
        let scheme: HTTPGetAction.Scheme
        let rest: Substring
        if location.lowercased().hasPrefix("http://") {
            scheme = .http
            rest = location.dropFirst(7)
        } else if location.lowercased().hasPrefix("https://") {
            scheme = .https
            rest = location.dropFirst(8)
        } else {
            return nil
        }
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        var host = String(authority)
        var port = scheme == .https ? 443 : 80
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]"),
            let parsed = Int(authority[authority.index(after: colon)...])
        {
            host = String(authority[..<colon])
            port = parsed
        }
        if host.hasPrefix("[") { host = String(host.dropFirst().dropLast()) }
        return Target(scheme: scheme, host: host, port: port, path: path.isEmpty ? "/" : String(path))
    }

    static func isIPAddress(_ host: String) -> Bool {
        host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case ProbeError.timedOut: return "timeout: the probe did not finish in time"
        case let error as ChannelError:
            if case .connectTimeout = error { return "timeout: connecting did not finish in time" }
            return "connection failed: \(error)"
        case let error as IOError: return "connection failed: \(reason(error))"
        case let error as NIOConnectionError: return describe(error)
        case let error as DialError:
            return "dial tcp \(error.host):\(error.port): \(error.reason)"
        default: return "\(error)"
        }
    }

    /// Go's dialer wording (`dial tcp 10.0.0.5:8000: connect: connection refused`), which
    /// operators already recognise from the kubelet and blackbox_exporter.
    private static func describe(_ error: NIOConnectionError) -> String {
        if let failure = error.connectionErrors.first {
            let reason = (failure.error as? IOError).map(reason) ?? "\(failure.error)"
            return "dial tcp \(error.host):\(error.port): connect: \(reason)"
        }
        if error.dnsAError != nil || error.dnsAAAAError != nil {
            return "dial tcp \(error.host):\(error.port): lookup \(error.host): no such host"
        }
        return "dial tcp \(error.host):\(error.port): no address to connect to"
    }

    static func reason(_ error: IOError) -> String {
        guard let text = strerror(error.errnoCode) else { return error.description }
        return String(cString: text).lowercased()
    }
}

/// A failed connect or lookup, with the address for the message.
struct DialError: Error {
    var host: String
    var port: Int
    /// What went wrong, in Go's words: `connect: connection refused`, `lookup db: no such host`.
    var reason: String

    init(host: String, port: Int, underlying: IOError) {
        self.init(host: host, port: port, reason: "connect: " + HTTPProbe.reason(underlying))
    }

    init(host: String, port: Int, reason: String) {
        self.host = host
        self.port = port
        self.reason = reason
    }
}

enum ProbeError: Error {
    case timedOut
    case closedEarly
}

/// Collects the status, the Location header and at most 10 KiB of body.
private final class ResponseCollector: ProbeAnswerHandler {
    typealias InboundIn = HTTPClientResponsePart

    let promise: OncePromise<HTTPProbe.Response>
    private var response: HTTPProbe.Response?
    private var bodyBytes = 0

    init(promise: OncePromise<HTTPProbe.Response>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            response = HTTPProbe.Response(status: Int(head.status.code), location: head.headers.first(name: "Location"))
        case .body(let buffer):
            bodyBytes += buffer.readableBytes
            if bodyBytes >= HTTPProbe.maxBodyBytes, let response {
                // Enough: the kubelet reads at most 10 KiB too.
                promise.succeed(response)
                context.close(promise: nil)
            }
        case .end:
            if let response { promise.succeed(response) } else { promise.fail(ProbeError.closedEarly) }
        }
    }
}
