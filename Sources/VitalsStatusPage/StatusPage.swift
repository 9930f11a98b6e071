import VitalsDocuments
import VitalsOrchestrator
import VitalsPageStyle
import VitalsProbe
import VitalsStack

/// The status page: server-rendered HTML with no framework and no external asset, so it works
/// offline and under a strict Content-Security-Policy (its stylesheet and script are served by
/// vitals serve itself). Headings and landmarks for screen readers, text next to every colour,
/// `<details>` to expand replicas without script.
public struct StatusPage: Sendable {
    public var document: StatusDocument
    /// Seconds between refreshes of the page without script (`<meta http-equiv="refresh">`).
    public var refreshSeconds = 30

    public init(document: StatusDocument) {
        self.document = document
    }

    public var html: String {
        let status = document.status
        let state = document.state
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>\(escape(status.stack.name)): \(Self.stateWord(state)) · Vitals</title>\n"
        out += "<link rel=\"stylesheet\" href=\"/static/status.css\">\n"
        out += "<script src=\"/static/status.js\" defer></script>\n"
        out += "<noscript><meta http-equiv=\"refresh\" content=\"\(refreshSeconds)\"></noscript>\n"
        out += "</head>\n<body>\n"
        out += "<header>\n<h1>Stack \(escape(status.stack.name))</h1>\n"
        out += "<p class=\"headline\" id=\"headline\" data-state=\"\(state.rawValue)\">"
        out += "<span class=\"badge state-\(state.rawValue)\">\(Self.stateWord(state))</span> "
        out += "\(escape(document.summary))</p>\n"
        out += "<p class=\"meta\">Updated \(Self.time(document.now)). "
        if let since = document.history.since {
            out += "History since \(Self.time(since)), "
        } else {
            out += "No history yet, "
        }
        out += "kept in memory only: a restart of vitals serve starts it again.</p>\n</header>\n"
        out += "<main>\n<section aria-labelledby=\"services-heading\">\n"
        out += "<h2 id=\"services-heading\">Services</h2>\n<ul class=\"services\">\n"
        for service in status.services { out += serviceItem(service) }
        out += "</ul>\n</section>\n"
        out += timeline()
        out += "</main>\n<footer>\n<p>vitals serve \(escape(document.version)) · "
        out += "<a href=\"/api/v1/status\">status as JSON</a> · <a href=\"/metrics\">metrics</a> · "
        out += "<a href=\"/health\">health</a></p>\n</footer>\n</body>\n</html>\n"
        return out
    }

    func serviceItem(_ service: ServiceStatus) -> String {
        let state = document.serviceState(service)
        let id = "service-" + Self.identifier(service.name)
        var out = "<li class=\"service\" id=\"\(id)\" data-state=\"\(state.rawValue)\">\n"
        out += "<div class=\"service-head\">\n<h3>\(escape(service.name)) <span class=\"kind\">"
        out += "\(service.kind.rawValue)</span></h3>\n"
        out += "<span class=\"badge state-\(state.rawValue)\">\(Self.serviceWord(state))</span>\n</div>\n"
        out += "<dl class=\"facts\">\n"
        out += fact("Ready", "\(service.readyReplicas)/\(service.endpoints.count) replicas", key: "replicas")
        out += fact("Live", service.live ? "yes" : "no", key: "live")
        let hour = document.history.uptime(service.name, over: .hour, at: document.now)
        let day = document.history.uptime(service.name, over: .day, at: document.now)
        out += fact("Uptime 1 h", Self.percent(hour), key: "uptime-1h")
        out += fact("Uptime 24 h", Self.percent(day), key: "uptime-24h")
        if let blockedBy = service.blockedBy {
            out += fact("Blocked by", blockedBy, key: "blocked-by")
        }
        if let error = document.lastError(service) {
            out += fact("Last error", error, key: "last-error")
        }
        out += "</dl>\n"
        out += Sparkline(values: document.latency(service.name)).svg
        out += "<details>\n<summary>\(service.endpoints.count) replica"
        out += "\(service.endpoints.count == 1 ? "" : "s")</summary>\n<ul class=\"replicas\">\n"
        for endpoint in service.endpoints { out += replicaItem(endpoint) }
        out += "</ul>\n</details>\n</li>\n"
        return out
    }

    func replicaItem(_ endpoint: EndpointStatus) -> String {
        let word = endpoint.ready ? "ready" : "not ready"
        var out = "<li data-ready=\"\(endpoint.ready)\"><span class=\"address\">"
        out += "\(escape(endpoint.address.description))</span> "
        out +=
            "<span class=\"badge state-\(endpoint.ready ? "ready" : "down")\">\(word)</span>\n<ul class=\"probes\">\n"
        for (kind, state) in endpoint.probes.sorted(by: { $0.key < $1.key }) {
            out += "<li>\(kind.rawValue): "
            guard let result = state.lastResult else {
                out += "not run yet</li>\n"
                continue
            }
            out += result.outcome == .success ? "ok" : "failed"
            if let code = result.statusCode { out += ", HTTP \(code)" }
            out += ", " + NumberText.rounded(result.durationSeconds * 1000, places: 1) + " ms"
            if let container = result.container {
                out += ", container \(escape(container.name)): \(escape(container.summary))"
                if let output = container.lastHealthOutput { out += " (last check: \(escape(output)))" }
            }
            if result.outcome != .success, let message = result.message { out += ": \(escape(message))" }
            out += "</li>\n"
        }
        out += "</ul>\n</li>\n"
        return out
    }

    func timeline() -> String {
        var out = "<section aria-labelledby=\"timeline-heading\">\n<h2 id=\"timeline-heading\">Recent changes</h2>\n"
        let transitions = document.history.transitions()
        guard !transitions.isEmpty else {
            return out + "<p class=\"meta\">No readiness changes since vitals serve started.</p>\n</section>\n"
        }
        out += "<ol class=\"timeline\">\n"
        for transition in transitions.prefix(30) {
            out += "<li><time>\(Self.time(transition.at))</time> \(escape(transition.service)) became "
            out += "<span class=\"badge state-\(transition.ready ? "ready" : "down")\">"
            out += "\(transition.ready ? "ready" : "not ready")</span>"
            if let reason = transition.reason { out += ": \(escape(reason))" }
            out += "</li>\n"
        }
        return out + "</ol>\n</section>\n"
    }

    func fact(_ term: String, _ value: String, key: String) -> String {
        "<div data-fact=\"\(key)\"><dt>\(term)</dt><dd>\(escape(value))</dd></div>\n"
    }

    static func stateWord(_ state: StatusDocument.State) -> String {
        switch state {
        case .ready: "All ready"
        case .degraded: "Degraded"
        case .down: "Down"
        }
    }

    static func serviceWord(_ state: StatusDocument.ServiceState) -> String {
        switch state {
        case .ready: "Ready"
        case .blocked: "Blocked"
        case .degraded: "Degraded"
        case .down: "Down"
        }
    }

    static func percent(_ share: Double?) -> String {
        guard let share else { return "no data" }
        return NumberText.rounded(share * 100, places: 2) + "%"
    }

    /// A name as an HTML id: letters, digits, `-` and `_`.
    static func identifier(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
    }

    /// `2026-12-01 14:05:03 UTC`, from Unix seconds, without Foundation.
    static func time(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.down))
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let secondsOfDay = total - days * 86_400
        // Howard Hinnant's civil-from-days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day)) \(two(secondsOfDay / 3600)):\(two(secondsOfDay / 60 % 60)):"
            + "\(two(secondsOfDay % 60)) UTC"
    }
}

/// Text for HTML content and attribute values.
func escape(_ text: String) -> String { PageStyle.escape(text) }
