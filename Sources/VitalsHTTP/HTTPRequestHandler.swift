import Logging
import NIOCore
import NIOHTTP1

/// Serves one connection: collects one request at a time, hands it to the responder and writes
/// the answer, with backpressure.
///
/// The next request is read only after the previous answer has been *flushed* to the socket,
/// not merely written: a client that pipelines requests and never reads the answers fills its
/// own socket buffer and then stalls, holding at most one answer in memory, until the write
/// timeout closes it. Pipelined requests that one read already brought in wait in a short
/// queue; a client that pipelines more than that is disconnected.
final class HTTPRequestHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Pipelined requests held while one is answered; browsers and Prometheus never pipeline.
    static let maxQueuedRequests = 8

    private enum State {
        case idle
        case receiving(HTTPRequestHead, ByteBuffer)
        /// A request whose answer is being computed or is not yet flushed.
        case responding
        /// The connection is finished: an answer with `Connection: close` is on its way.
        case closing
    }

    private let responder: any HTTPResponder
    private let maxBodyBytes: Int
    private let writeTimeout: TimeAmount
    private let connection: ConnectionRegistry.Entry?
    private let logger: Logger
    private var state = State.idle
    private var queued: [HTTPServerRequestPart] = []
    private var queuedRequests = 0
    private var readHeld = false
    private var quiescing = false
    private var writeTimer: Scheduled<Void>?

    init(
        responder: any HTTPResponder, maxBodyBytes: Int, writeTimeout: TimeAmount,
        connection: ConnectionRegistry.Entry?,
        logger: Logger
    ) {
        self.responder = responder
        self.maxBodyBytes = maxBodyBytes
        self.writeTimeout = writeTimeout
        self.connection = connection
        self.logger = logger
    }

    // MARK: Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch state {
        case .responding:
            if case .head = part { queuedRequests += 1 }
            guard queuedRequests <= Self.maxQueuedRequests else {
                logger.warning(
                    "closing connection that pipelines too many requests",
                    metadata: ["remote": "\(context.channel.remoteAddress?.description ?? "unknown")"])
                state = .closing
                context.close(promise: nil)
                return
            }
            queued.append(part)
        case .closing:
            break
        case .idle, .receiving:
            process(part, context: context)
        }
    }

    private func process(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch (part, state) {
        case (.head(let head), _):
            connection?.markBusy()
            if let refusal = bodyRefusal(head) {
                refuse(context: context, head: head, refusal)
                return
            }
            state = .receiving(head, context.channel.allocator.buffer(capacity: 0))
        case (.body(var chunk), .receiving(let head, var body)):
            guard body.readableBytes + chunk.readableBytes <= maxBodyBytes else {
                refuse(context: context, head: head, "request body over the limit of \(maxBodyBytes) bytes")
                return
            }
            body.writeBuffer(&chunk)
            state = .receiving(head, body)
        case (.end, .receiving(let head, let body)):
            state = .responding
            context.triggerUserOutboundEvent(ConnectionTimeoutHandler.RequestReceived(), promise: nil)
            dispatch(context: context, head: head, body: body)
        default:
            break
        }
    }

    /// Why a request's body is refused before a byte of it is read, or nil.
    private func bodyRefusal(_ head: HTTPRequestHead) -> String? {
        if let length = head.headers.first(name: "Content-Length").flatMap(Int.init), length > maxBodyBytes {
            return maxBodyBytes == 0
                ? "request body of \(length) bytes on a server that takes none"
                : "request body of \(length) bytes over the limit of \(maxBodyBytes)"
        }
        if maxBodyBytes == 0, head.headers.contains(name: "Transfer-Encoding") {
            return "chunked request body on a server that takes none"
        }
        return nil
    }

    /// Answers 413 at once and closes: the unread body is never buffered.
    private func refuse(context: ChannelHandlerContext, head: HTTPRequestHead, _ reason: String) {
        state = .closing
        context.triggerUserOutboundEvent(ConnectionTimeoutHandler.RequestReceived(), promise: nil)
        logger.warning(
            "rejected request body",
            metadata: [
                "method": "\(head.method.rawValue)", "uri": "\(head.uri)", "status": "413", "reason": "\(reason)",
                "remote": "\(context.channel.remoteAddress?.description ?? "unknown")",
            ])
        write(
            context: context, head: head, response: .text("413 Payload Too Large\n", status: .payloadTooLarge),
            close: true)
    }

    private func dispatch(context: ChannelHandlerContext, head: HTTPRequestHead, body: ByteBuffer) {
        let request = HTTPRequest(
            method: head.method, uri: head.uri, headers: head.headers, body: body,
            remoteAddress: context.channel.remoteAddress)
        let responder = self.responder
        let promise = context.eventLoop.makePromise(of: HTTPResponse.self)
        Task(executorPreference: responder.executor(for: request)) {
            promise.succeed(await responder.respond(to: request))
        }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        promise.futureResult.whenSuccess { response in
            let (handler, context) = loopBound.value
            handler.write(
                context: context, head: head, response: response, close: !head.isKeepAlive || handler.quiescing)
        }
    }

    // MARK: Writing

    private func write(context: ChannelHandlerContext, head: HTTPRequestHead, response: HTTPResponse, close: Bool) {
        guard context.channel.isActive else { return }
        var headers = response.headers
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.readableBytes))
        if close { headers.replaceOrAdd(name: "Connection", value: "close") }
        let responseHead = HTTPResponseHead(version: head.version, status: response.status, headers: headers)
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        if head.method != .HEAD, response.body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(response.body))), promise: nil)
        }
        armWriteTimeout(context: context)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { result in
            let (handler, context) = loopBound.value
            handler.responseFlushed(context: context, close: close || (try? result.get()) == nil)
        }
    }

    private func responseFlushed(context: ChannelHandlerContext, close: Bool) {
        writeTimer?.cancel()
        writeTimer = nil
        context.triggerUserOutboundEvent(ConnectionTimeoutHandler.ResponseSent(), promise: nil)
        if close {
            state = .closing
            context.close(promise: nil)
            return
        }
        state = .idle
        connection?.markIdle()
        // Requests that arrived pipelined behind this one go next, one at a time.
        while !queued.isEmpty {
            if case .responding = state { break }
            if case .closing = state { break }
            let part = queued.removeFirst()
            if case .head = part { queuedRequests -= 1 }
            process(part, context: context)
        }
        if quiescing, case .idle = state {
            context.close(promise: nil)
            return
        }
        if case .idle = state, readHeld {
            readHeld = false
            context.read()
        }
    }

    /// A client that does not take its answer within the write timeout is disconnected, so that it
    /// cannot pin the answer's memory.
    private func armWriteTimeout(context: ChannelHandlerContext) {
        writeTimer?.cancel()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let timeout = writeTimeout
        writeTimer = context.eventLoop.scheduleTask(in: timeout) {
            let (handler, context) = loopBound.value
            handler.logger.warning(
                "closing connection: the client did not read its response within the write timeout",
                metadata: [
                    "remote": "\(context.channel.remoteAddress?.description ?? "unknown")",
                    "timeout_ms": "\(timeout.nanoseconds / 1_000_000)",
                ])
            handler.state = .closing
            context.close(promise: nil)
        }
    }

    /// Holds the channel's reads while a request is being answered.
    func read(context: ChannelHandlerContext) {
        if case .idle = state, queued.isEmpty {
            context.read()
        } else if case .receiving = state {
            context.read()
        } else {
            readHeld = true
        }
    }

    // MARK: Lifecycle

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        quiescing = true
        if case .idle = state, queued.isEmpty { context.close(promise: nil) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        writeTimer?.cancel()
        writeTimer = nil
        queued.removeAll()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("closing connection after error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }
}
