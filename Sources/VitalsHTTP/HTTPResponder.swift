/// Answers requests. One responder serves every connection, concurrently.
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequest) async -> HTTPResponse
}
