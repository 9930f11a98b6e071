/// Answers requests. One responder serves every connection, concurrently.
public protocol HTTPResponder: Sendable {
    /// Where `respond(to:)` starts for this request; nil for the global concurrent executor.
    func executor(for request: HTTPRequest) -> (any TaskExecutor)?
    func respond(to request: HTTPRequest) async -> HTTPResponse
}

extension HTTPResponder {
    public func executor(for request: HTTPRequest) -> (any TaskExecutor)? { nil }
}
