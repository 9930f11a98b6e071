/// The HTTP URL a compose healthcheck asks with curl, wget or Python's urllib, if it is one:
/// then the check can be an `httpGet` probe from outside the container.
struct HealthcheckURL: Sendable, Equatable {
    var scheme: String
    var port: Int?
    var path: String

    init(scheme: String, port: Int?, path: String) {
        self.scheme = scheme
        self.port = port
        self.path = path
    }

    init?(_ check: ComposeService.Healthcheck) {
        let text = check.test.joined(separator: " ")
        let lowered = text.lowercased()
        guard
            lowered.contains("curl") || lowered.contains("wget")
                || (lowered.contains("python") && lowered.contains("urllib"))
        else { return nil }
        guard let start = text.firstRange(of: "http://") ?? text.firstRange(of: "https://") else { return nil }
        let url = text[start.lowerBound...].prefix { !$0.isWhitespace && !"'\"),;|&`<>".contains($0) }
        scheme = url.hasPrefix("https") ? "https" : "http"
        let rest = url.dropFirst(scheme.count + 3)
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        var path = String(rest.dropFirst(authority.count))
        if !path.hasPrefix("/") { path = "/" + path }
        self.path = path
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            port = authority[close...].split(separator: ":").last.flatMap { Int($0) }
        } else {
            let parts = authority.split(separator: ":")
            port = parts.count == 2 ? Int(parts[1]) : nil
        }
        // A port no TCP socket can have is not a URL to probe.
        if let port, !(1...65535).contains(port) { return nil }
    }

    /// The port the URL asks, given its scheme's default.
    var effectivePort: Int { port ?? (scheme == "https" ? 443 : 80) }
}
