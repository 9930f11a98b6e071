import NIOCore

/// Closes connections that sit idle between requests, and connections that start a request
/// but do not finish sending it in time (slowloris).
///
/// It sits in front of the HTTP decoder, so it sees the first raw byte of a request; the request
/// handler tells it, through outbound user events, when a request was complete and when its
/// response went out.
final class ConnectionTimeoutHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    /// Sent by the request handler once a whole request has been received.
    struct RequestReceived: Sendable {}
    /// Sent by the request handler once a response has been written.
    struct ResponseSent: Sendable {}

    private enum State {
        case waitingForRequest
        case readingRequest
        case processing
    }

    private let idleTimeout: TimeAmount
    private let readTimeout: TimeAmount
    private var state = State.waitingForRequest
    private var timer: Scheduled<Void>?
    private var inFlight = 0

    init(idleTimeout: TimeAmount, readTimeout: TimeAmount) {
        self.idleTimeout = idleTimeout
        self.readTimeout = readTimeout
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context: context, after: idleTimeout)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .waitingForRequest = state {
            state = .readingRequest
            arm(context: context, after: readTimeout)
        }
        context.fireChannelRead(data)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        switch event {
        case is RequestReceived:
            inFlight += 1
            state = .processing
            timer?.cancel()
            timer = nil
            promise?.succeed()
        case is ResponseSent:
            inFlight = max(0, inFlight - 1)
            if inFlight == 0 {
                state = .waitingForRequest
                arm(context: context, after: idleTimeout)
            }
            promise?.succeed()
        default:
            context.triggerUserOutboundEvent(event, promise: promise)
        }
    }

    private func arm(context: ChannelHandlerContext, after delay: TimeAmount) {
        timer?.cancel()
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: delay) {
            loopBound.value.close(promise: nil)
        }
    }
}
