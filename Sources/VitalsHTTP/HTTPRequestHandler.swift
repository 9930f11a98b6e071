import Logging
import NIOCore
import NIOHTTP1

/// Collects one request at a time, hands it to the responder and writes the answer.
///
/// Requests on a keep-alive connection are answered in order; `HTTPServerPipelineHandler`
/// in front of this handler holds back pipelined requests and closes idle connections
/// when the server quiesces.
final class HTTPRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        case receiving(HTTPRequestHead, ByteBuffer)
        case discardingOversizedBody(HTTPRequestHead)
    }

    private let responder: any HTTPResponder
    private let maxBodyBytes: Int
    private let logger: Logger
    private var state = State.idle

    init(responder: any HTTPResponder, maxBodyBytes: Int, logger: Logger) {
        self.responder = responder
        self.maxBodyBytes = maxBodyBytes
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), _):
            state = .receiving(head, context.channel.allocator.buffer(capacity: 0))
        case (.body(var chunk), .receiving(let head, var body)):
            if body.readableBytes + chunk.readableBytes > maxBodyBytes {
                state = .discardingOversizedBody(head)
            } else {
                body.writeBuffer(&chunk)
                state = .receiving(head, body)
            }
        case (.body, _):
            break
        case (.end, .receiving(let head, let body)):
            state = .idle
            context.triggerUserOutboundEvent(ConnectionTimeoutHandler.RequestReceived(), promise: nil)
            dispatch(context: context, head: head, body: body)
        case (.end, .discardingOversizedBody(let head)):
            state = .idle
            context.triggerUserOutboundEvent(ConnectionTimeoutHandler.RequestReceived(), promise: nil)
            logger.warning(
                "rejected request body over the limit",
                metadata: ["uri": "\(head.uri)", "limit_bytes": "\(maxBodyBytes)"])
            write(context: context, head: head, response: .text("413 Payload Too Large\n", status: .payloadTooLarge))
        case (.end, .idle):
            break
        }
    }

    private func dispatch(context: ChannelHandlerContext, head: HTTPRequestHead, body: ByteBuffer) {
        let request = HTTPRequest(
            method: head.method, uri: head.uri, headers: head.headers, body: body,
            remoteAddress: context.channel.remoteAddress)
        let responder = self.responder
        let promise = context.eventLoop.makePromise(of: HTTPResponse.self)
        promise.completeWithTask { await responder.respond(to: request) }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        promise.futureResult.whenSuccess { response in
            let (handler, context) = loopBound.value
            handler.write(context: context, head: head, response: response)
        }
    }

    private func write(context: ChannelHandlerContext, head: HTTPRequestHead, response: HTTPResponse) {
        guard context.channel.isActive else { return }
        let keepAlive = head.isKeepAlive
        var headers = response.headers
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.readableBytes))
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        let responseHead = HTTPResponseHead(version: head.version, status: response.status, headers: headers)
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        if head.method != .HEAD, response.body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(response.body))), promise: nil)
        }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            let context = loopBound.value
            context.triggerUserOutboundEvent(ConnectionTimeoutHandler.ResponseSent(), promise: nil)
            if !keepAlive { context.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("closing connection after error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }
}
