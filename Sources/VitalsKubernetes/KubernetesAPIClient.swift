import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
import VitalsDocuments
import VitalsSystem

/// A small client of the Kubernetes API: GETs and watches, with the pod's service account token,
/// over HTTPS verified against the cluster's CA (or plain HTTP to a local proxy). One connection
/// per request: discovery makes a handful of long watches, not a stream of calls.
///
/// Everything is bounded: connecting, each answer's size and time, each watch line's size, and a
/// watch that goes quiet for longer than the server's own timeout is closed and resumed.
public struct KubernetesAPIClient: Sendable {
    /// Where the API is and how to authenticate.
    public struct Configuration: Sendable, Hashable {
        public var host: String
        public var port: Int
        public var useTLS: Bool
        /// The CA to verify the server with; the system's roots when nil.
        public var caFile: String?
        /// A bearer token file, read before every request (the kubelet rotates projected tokens).
        public var tokenFile: String?

        public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

        public init(host: String, port: Int, useTLS: Bool, caFile: String? = nil, tokenFile: String? = nil) {
            self.host = host
            self.port = port
            self.useTLS = useTLS
            self.caFile = caFile
            self.tokenFile = tokenFile
        }

        /// The in-cluster configuration, as client-go finds it: `KUBERNETES_SERVICE_HOST` and
        /// `_PORT`, and the service account's token and CA; nil outside a pod.
        public static func inCluster(environment: [String: String]) -> Configuration? {
            guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
                let port = Int(environment["KUBERNETES_SERVICE_PORT"] ?? "443")
            else { return nil }
            return Configuration(
                host: host, port: port, useTLS: true, caFile: serviceAccountDirectory + "/ca.crt",
                tokenFile: serviceAccountDirectory + "/token")
        }

        /// `https://host:port` or `http://host:port`.
        public init(url: String, caFile: String?, tokenFile: String?) throws(KubernetesAPIError) {
            let useTLS: Bool
            var rest = Substring(url)
            if rest.hasPrefix("https://") {
                useTLS = true
                rest = rest.dropFirst("https://".count)
            } else if rest.hasPrefix("http://") {
                useTLS = false
                rest = rest.dropFirst("http://".count)
            } else {
                throw .unreachable(server: url, reason: "expected an http:// or https:// URL")
            }
            while rest.hasSuffix("/") { rest = rest.dropLast() }
            var host = String(rest)
            var port = useTLS ? 443 : 80
            if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("]") {
                guard let number = Int(rest[rest.index(after: colon)...]), (1...65535).contains(number) else {
                    throw .unreachable(server: url, reason: "the port is not a number from 1 to 65535")
                }
                port = number
                host = String(rest[..<colon])
            }
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty else { throw .unreachable(server: url, reason: "no host") }
            self.init(host: host, port: port, useTLS: useTLS, caFile: caFile, tokenFile: tokenFile)
        }

        public var server: String {
            (useTLS ? "https://" : "http://") + (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
        }
    }

    /// A GET's answer.
    public struct Answer: Sendable {
        public var status: Int
        public var body: [UInt8]
    }

    /// Lists of a few thousand EndpointSlices stay well under this.
    public static let maxAnswerBytes = 16 << 20

    public let configuration: Configuration
    let group: any EventLoopGroup
    let tls: NIOSSLContext?

    public init(configuration: Configuration, group: any EventLoopGroup) throws(KubernetesAPIError) {
        self.configuration = configuration
        self.group = group
        guard configuration.useTLS else {
            tls = nil
            return
        }
        do {
            var settings = TLSConfiguration.makeClientConfiguration()
            if let caFile = configuration.caFile {
                settings.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            }
            tls = try NIOSSLContext(configuration: settings)
        } catch {
            throw .credentials("the CA file \(configuration.caFile ?? "(system)"): \(error)")
        }
    }

    /// GETs `path` and returns the answer, whatever its status.
    public func get(_ path: String, timeout: TimeAmount) async throws(KubernetesAPIError) -> Answer {
        var status = 0
        var body: [UInt8] = []
        try await exchange(path, timeout: timeout, idleTimeout: timeout) { part throws(KubernetesAPIError) in
            switch part {
            case .head(let code): status = code
            case .body(let buffer):
                guard body.count + buffer.readableBytes <= Self.maxAnswerBytes else {
                    throw .tooLarge(path: path, bytes: Self.maxAnswerBytes)
                }
                body.append(contentsOf: buffer.readableBytesView)
            }
        }
        return Answer(status: status, body: body)
    }

    /// GETs a watch and hands each event (one JSON object per line) to `event`, until the server
    /// ends the watch, the connection breaks, or nothing arrives for `idleTimeout`. A non-200
    /// answer is thrown as its error.
    public func watch(
        _ path: String, idleTimeout: TimeAmount, lifetime: TimeAmount,
        event: (JSONNode) throws(KubernetesAPIError) -> Void
    ) async throws(KubernetesAPIError) {
        var status = 0
        var line: [UInt8] = []
        var errorBody: [UInt8] = []
        try await exchange(path, timeout: lifetime, idleTimeout: idleTimeout) { part throws(KubernetesAPIError) in
            switch part {
            case .head(let code): status = code
            case .body(let buffer):
                guard status == 200 else {
                    if errorBody.count < 64 << 10 { errorBody.append(contentsOf: buffer.readableBytesView) }
                    return
                }
                var rest = buffer.readableBytesView[...]
                while true {
                    let newline = rest.firstIndex(of: UInt8(ascii: "\n"))
                    let part = rest[..<(newline ?? rest.endIndex)]
                    guard line.count + part.count <= Self.maxAnswerBytes else {
                        throw .tooLarge(path: path, bytes: Self.maxAnswerBytes)
                    }
                    line.append(contentsOf: part)
                    guard let newline else { break }
                    rest = rest[(newline + 1)...]
                    guard !line.isEmpty else { continue }
                    defer { line.removeAll(keepingCapacity: true) }
                    do {
                        try event(try JSONReader().read(line))
                    } catch let error as KubernetesAPIError {
                        throw error
                    } catch {
                        throw .malformed(path: path, reason: "a watch line that is not JSON: \(error)")
                    }
                }
            }
        }
        if status != 200 { throw Self.error(status: status, path: path, body: errorBody) }
    }

    /// The error for a non-success answer, with the API's own message from its Status object.
    public static func error(status: Int, path: String, body: [UInt8]) -> KubernetesAPIError {
        let message =
            (try? JSONReader().read(body))?["message"]?.stringValue
            ?? String(decoding: body.prefix(200), as: UTF8.self)
        switch status {
        case 403: return .forbidden(path: path, message: message)
        case 410: return .gone
        default: return .status(code: status, path: path, message: message)
        }
    }

    enum Part {
        case head(Int)
        case body(ByteBuffer)
    }

    private func exchange(
        _ path: String, timeout: TimeAmount, idleTimeout: TimeAmount,
        _ receive: (Part) throws(KubernetesAPIError) -> Void
    ) async throws(KubernetesAPIError) {
        var headers = HTTPHeaders()
        headers.add(
            name: "Host", value: configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host)
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "User-Agent", value: "vitals-serve")
        headers.add(name: "Connection", value: "close")
        if let tokenFile = configuration.tokenFile {
            do {
                let token = try FileAccess.readString(tokenFile, limit: 64 << 10)
                headers.add(name: "Authorization", value: "Bearer " + token.trimmingWhitespace())
            } catch {
                throw .credentials("the token file \(tokenFile): \(error)")
            }
        }
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        let server = configuration.server
        do {
            let tls = tls
            let host = configuration.host
            let hostIsAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(5))
                .connect(host: host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            // An address is verified against the certificate's IP SANs; SNI takes names only.
                            try channel.pipeline.syncOperations.addHandler(
                                try NIOSSLClientHandler(context: tls, serverHostname: hostIsAddress ? nil : host))
                        }
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idleTimeout))
                        try channel.pipeline.syncOperations.addHandler(CloseWhenIdle())
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                            wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw .unreachable(server: server, reason: "\(error)")
        }
        // The whole exchange is bounded: a server that trickles bytes is cut off at the deadline.
        let expired = DeadlineFlag()
        let deadline = channel.channel.eventLoop.scheduleTask(in: timeout) { [channel] in
            expired.fired.withLock { $0 = true }
            channel.channel.close(promise: nil)
        }
        defer { deadline.cancel() }
        var ended = false
        var failure: KubernetesAPIError?
        do {
            try await channel.executeThenClose { inbound, outbound in
                let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
                try await outbound.write(.head(head))
                try await outbound.write(.end(nil))
                for try await part in inbound {
                    switch part {
                    case .head(let head):
                        try receive(.head(Int(head.status.code)))
                    case .body(let buffer):
                        try receive(.body(buffer))
                    case .end:
                        ended = true
                        return
                    }
                }
            }
        } catch let error as KubernetesAPIError {
            failure = error
        } catch {
            failure = .unreachable(server: server, reason: "\(error)")
        }
        // Cut off at the deadline, however the close surfaced (an end of stream, or a TLS error).
        if expired.fired.withLock({ $0 }) {
            throw .timedOut(path: path, seconds: Int(timeout.nanoseconds / 1_000_000_000))
        }
        if let failure { throw failure }
        guard ended else {
            throw .timedOut(path: path, seconds: Int(timeout.nanoseconds / 1_000_000_000))
        }
    }
}

/// Whether an exchange's deadline passed.
private final class DeadlineFlag: Sendable {
    let fired = Mutex(false)
}

/// Closes the connection once nothing was read for the idle timeout.
private final class CloseWhenIdle: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
