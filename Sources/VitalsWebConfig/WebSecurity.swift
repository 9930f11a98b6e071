import Logging
import VitalsHTTP

/// Applies `--web.config.file` to a server: TLS on the listener, basic auth on the responder.
///
/// Shared by every Vitals server so that one web-config file protects them all the same way.
public enum WebSecurity {
    /// Loads the file and wires it in; throws with file, line and column when it cannot be used.
    public static func apply(
        path: String, to configuration: inout HTTPServerConfiguration, responder: any HTTPResponder, logger: Logger
    ) throws(WebConfigError) -> (responder: any HTTPResponder, watcher: WebConfigWatcher) {
        let watcher = try WebConfigWatcher(path: path, logger: logger)
        configuration.tls = { watcher.current.tls }
        logger.info(
            "Loaded web config",
            metadata: [
                "file": "\(path)", "tls": "\(watcher.current.tls != nil)",
                "basic_auth_users": "\(watcher.current.config.basicAuthUsers.count)",
            ])
        return (SecuredResponder(inner: responder, watcher: watcher, logger: logger), watcher)
    }
}
