/// Where Alertmanager sends alerts: receivers, and which of them gets what.
///
/// Secrets (webhook URLs of chat services, routing keys, passwords) are only accepted as file
/// references, so that no generated file ever holds one in plain text.
public struct Alerting: Sendable, Hashable {
    public var receivers: [Receiver]
    /// Gets every alert; the first receiver when not given.
    public var defaultReceiver: String?
    /// Also gets critical alerts, when given.
    public var criticalReceiver: String?
    /// Grafana's address as people open it, for the dashboard link in every alert.
    public var grafanaURL: String?
    /// Where the generated RUNBOOK.md is published (a repository page, say), for the runbook link
    /// in every alert; without it the link is the file's relative path.
    public var runbookURL: String?

    public init(
        receivers: [Receiver] = [], defaultReceiver: String? = nil, criticalReceiver: String? = nil,
        grafanaURL: String? = nil, runbookURL: String? = nil
    ) {
        self.receivers = receivers
        self.defaultReceiver = defaultReceiver
        self.criticalReceiver = criticalReceiver
        self.grafanaURL = grafanaURL
        self.runbookURL = runbookURL
    }
}

/// One named receiver and its integrations.
public struct Receiver: Sendable, Hashable {
    public var name: String
    public var integrations: [Integration]

    public init(name: String, integrations: [Integration]) {
        self.name = name
        self.integrations = integrations
    }

    public enum Integration: Sendable, Hashable {
        /// Slack incoming webhook; the URL is a secret, so only its file is accepted.
        case slack(apiURLFile: String, channel: String?)
        /// A plain webhook (Alertmanager 0.25 has no file form for its URL).
        case webhook(url: String)
        case email(to: String, from: String, smarthost: String, authUsername: String?, authPasswordFile: String?)
        case pagerduty(routingKeyFile: String)
    }
}
