import Logging
import NIOCore
import NIOHTTP1

/// A complete HTTP response.
public struct HTTPResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: ByteBuffer

    public init(status: HTTPResponseStatus = .ok, headers: HTTPHeaders = [:], body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A plain-text response.
    public static func text(_ text: String, status: HTTPResponseStatus = .ok) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: ByteBuffer(string: text))
    }

    /// An `application/health+json` answer (draft-inadarei-api-health-check).
    public static func health(_ json: String, status: HTTPResponseStatus = .ok) -> HTTPResponse {
        .body(Array(json.utf8), contentType: "application/health+json", status: status)
    }

    /// The same response, after a warning that says which request was turned away and why:
    /// every 4xx and 5xx a server chooses to give is logged, never silent.
    public func logged(for request: HTTPRequest, by logger: Logger) -> HTTPResponse {
        logger.warning(
            "rejected request",
            metadata: [
                "method": "\(request.method.rawValue)", "uri": "\(request.uri)", "status": "\(status.code)",
                "remote": "\(request.remoteAddress?.description ?? "unknown")",
            ])
        return self
    }

    /// A response with a body of the given content type.
    public static func body(_ bytes: [UInt8], contentType: String, status: HTTPResponseStatus = .ok) -> HTTPResponse {
        .body(ByteBuffer(bytes: bytes), contentType: contentType, status: status)
    }

    /// A response with a body of the given content type, already in a buffer.
    public static func body(
        _ buffer: ByteBuffer, contentType: String, status: HTTPResponseStatus = .ok
    ) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": contentType], body: buffer)
    }
}
