import NIOCore

extension EventLoop {
    /// Starts `body` at once when the caller is already on this loop (a probe's timer fires on the
    /// loop that runs the probe), else hands it to the loop. `flatSubmit` alone would queue a task
    /// even from the loop itself: one more allocation, promise and queue pass per probe.
    func runHere<Value: Sendable>(
        _ body: @escaping @Sendable () -> EventLoopFuture<Value>
    ) -> EventLoopFuture<Value> {
        inEventLoop ? body() : flatSubmit(body)
    }
}
