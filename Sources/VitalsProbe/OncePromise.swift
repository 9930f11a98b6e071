import NIOCore

/// A promise that ignores every completion after the first: a probe can finish by answer,
/// deadline, close or error, whichever comes first.
final class OncePromise<Value: Sendable>: @unchecked Sendable {
    // Only used on the promise's event loop.
    private let promise: EventLoopPromise<Value>
    private var done = false

    init(_ promise: EventLoopPromise<Value>) {
        self.promise = promise
    }

    var future: EventLoopFuture<Value> { promise.futureResult }

    func succeed(_ value: Value) {
        promise.futureResult.eventLoop.preconditionInEventLoop()
        guard !done else { return }
        done = true
        promise.succeed(value)
    }

    func fail(_ error: any Error) {
        promise.futureResult.eventLoop.preconditionInEventLoop()
        guard !done else { return }
        done = true
        promise.fail(error)
    }
}

/// A handler that completes a probe with the peer's answer: a close or an error before the
/// answer fails the probe, so no probe is left waiting for its deadline.
protocol ProbeAnswerHandler: ChannelInboundHandler {
    associatedtype Answer: Sendable
    var promise: OncePromise<Answer> { get }
}

extension ProbeAnswerHandler {
    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(ProbeError.closedEarly)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }
}
