import NIOCore
import NIOHTTP1

/// A complete HTTP request as the responder sees it.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// The request target as sent (`/metrics?collect[]=cpu`).
    public var uri: String
    public var headers: HTTPHeaders
    public var body: ByteBuffer
    public var remoteAddress: SocketAddress?

    public init(
        method: HTTPMethod, uri: String, headers: HTTPHeaders = [:], body: ByteBuffer = ByteBuffer(),
        remoteAddress: SocketAddress? = nil
    ) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }

    /// The path without the query string, percent-decoded.
    public var path: String {
        let raw = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return QueryString.percentDecode(raw, plusAsSpace: false) ?? String(raw)
    }

    /// The decoded query parameters in order, repeated keys included (`collect[]=a&collect[]=b`).
    public var query: [(name: String, value: String)] {
        guard let mark = uri.firstIndex(of: "?") else { return [] }
        return QueryString.parse(uri[uri.index(after: mark)...])
    }

    /// Every value given for `name` in the query string.
    public func queryValues(_ name: String) -> [String] {
        query.filter { $0.name == name }.map(\.value)
    }
}
