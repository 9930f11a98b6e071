import NIOCore
import NIOHTTP1
import NIOPosix
import VitalsDocuments

/// A client of the Docker Engine API on its unix socket: one GET per connection, the answer
/// bounded in size and time. Podman's Docker-compatible socket answers the same requests.
struct EngineClient: Sendable {
    /// Engine answers about a handful of containers are a few KiB; a larger one is refused.
    static let maxAnswerBytes = 4 << 20

    let group: any EventLoopGroup
    let socketPath: String

    struct Answer: Sendable {
        var status: Int
        var body: [UInt8]
    }

    /// GETs `path` (with its query) from the engine.
    func get(_ path: String, deadline: NIODeadline, on loop: any EventLoop) -> EventLoopFuture<Answer> {
        let promise = OncePromise(loop.makePromise(of: Answer.self))
        let timeout = deadline - .now()
        guard timeout > .zero else { return loop.makeFailedFuture(ProbeError.timedOut) }
        let socketPath = socketPath
        loop.execute {
            ClientBootstrap(group: loop)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(AnswerCollector(promise: promise))
                    }
                }
                .connect(unixDomainSocketPath: socketPath)
                .whenComplete { result in
                    switch result {
                    case .failure(let error):
                        promise.fail(EngineError.unreachable(socketPath: socketPath, reason: Self.describe(error)))
                    case .success(let channel):
                        let timer = channel.eventLoop.scheduleTask(deadline: deadline) {
                            promise.fail(ProbeError.timedOut)
                        }
                        promise.future.whenComplete { _ in
                            timer.cancel()
                            channel.close(promise: nil)
                        }
                        var headers = HTTPHeaders()
                        headers.add(name: "Host", value: "docker")
                        headers.add(name: "Accept", value: "application/json")
                        headers.add(name: "Connection", value: "close")
                        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
                        channel.write(HTTPClientRequestPart.head(head), promise: nil)
                        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
                    }
                }
        }
        return promise.future
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? IOError { return "connect: " + HTTPProbe.reason(error) }
        if let error = error as? ChannelError, case .connectTimeout = error { return "connect: timed out" }
        return "\(error)"
    }

    /// `filters={"label":["a=b","c=d"]}`, percent-encoded, as the engine's list calls take it.
    static func labelFilter(_ labels: [String]) -> String {
        let json = "{\"label\":[" + labels.map { JSONNode.quoted($0) }.joined(separator: ",") + "]}"
        return "filters=" + percentEncoded(json)
    }

    static func percentEncoded(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                output += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return output
    }
}

/// Why the engine could not answer.
enum EngineError: Error, CustomStringConvertible {
    case unreachable(socketPath: String, reason: String)
    case tooLarge

    var description: String {
        switch self {
        case .unreachable(let path, let reason):
            "cannot reach the container engine at \(path): \(reason) (is dockerd running, and may vitals use its socket?)"
        case .tooLarge: "the container engine's answer is larger than \(EngineClient.maxAnswerBytes >> 20) MiB"
        }
    }
}

/// Collects one answer up to the size bound.
private final class AnswerCollector: ProbeAnswerHandler {
    typealias InboundIn = HTTPClientResponsePart

    let promise: OncePromise<EngineClient.Answer>
    private var status: Int?
    private var body: [UInt8] = []

    init(promise: OncePromise<EngineClient.Answer>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
        case .body(let buffer):
            guard body.count + buffer.readableBytes <= EngineClient.maxAnswerBytes else {
                promise.fail(EngineError.tooLarge)
                context.close(promise: nil)
                return
            }
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            if let status {
                promise.succeed(EngineClient.Answer(status: status, body: body))
            } else {
                promise.fail(ProbeError.closedEarly)
            }
        }
    }
}
