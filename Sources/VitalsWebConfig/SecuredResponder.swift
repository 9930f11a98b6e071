import Logging
import NIOCore
import NIOHTTP1
import VitalsHTTP

/// Puts basic authentication and the configured response headers in front of another responder.
public struct SecuredResponder: HTTPResponder {
    let inner: any HTTPResponder
    let watcher: WebConfigWatcher
    let logger: Logger

    public init(inner: any HTTPResponder, watcher: WebConfigWatcher, logger: Logger) {
        self.inner = inner
        self.watcher = watcher
        self.logger = logger
    }

    public func executor(for request: HTTPRequest) -> (any TaskExecutor)? { inner.executor(for: request) }

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        let loaded = watcher.current
        var response: HTTPResponse
        if loaded.authenticator.isEnabled, let denial = await denial(request, loaded.authenticator) {
            response = denial
        } else {
            response = await inner.respond(to: request)
        }
        for (name, value) in loaded.config.headers { response.headers.replaceOrAdd(name: name, value: value) }
        return response
    }

    /// nil when the request carries valid credentials; the 401 answer otherwise.
    private func denial(_ request: HTTPRequest, _ authenticator: BasicAuthenticator) async -> HTTPResponse? {
        let remote = request.remoteAddress?.description ?? "unknown"
        guard let header = request.headers.first(name: "Authorization"),
            let (user, password) = BasicAuthenticator.decodeBasic(header)
        else {
            logger.warning(
                "unauthorized request: no basic credentials",
                metadata: ["uri": "\(request.uri)", "remote": "\(remote)"])
            return Self.unauthorized
        }
        switch await authenticator.check(user: user, password: password) {
        case .allowed:
            return nil
        case .busy:
            logger.warning(
                "too many password checks waiting; answered 503",
                metadata: ["user": "\(user)", "uri": "\(request.uri)", "remote": "\(remote)"])
            var response = HTTPResponse.text(
                "503 Service Unavailable: too many logins at once\n", status: .serviceUnavailable)
            response.headers.replaceOrAdd(name: "Retry-After", value: "1")
            return response
        case .denied:
            logger.warning(
                "unauthorized request: wrong user or password",
                metadata: ["user": "\(user)", "uri": "\(request.uri)", "remote": "\(remote)"])
            return Self.unauthorized
        }
    }

    static let unauthorized: HTTPResponse = {
        var response = HTTPResponse.text("Unauthorized\n", status: .unauthorized)
        response.headers.replaceOrAdd(name: "WWW-Authenticate", value: "Basic")
        return response
    }()
}
