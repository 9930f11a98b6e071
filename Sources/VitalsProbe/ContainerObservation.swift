import VitalsDocuments

/// What the container engine says about one container: its state, its healthcheck's verdict and
/// last output, its restarts and whether the kernel killed it for memory.
public struct ContainerObservation: Sendable, Hashable {
    /// The first 12 hex digits, as `docker ps` shows them.
    public var id: String
    /// Without the leading `/` the engine keeps.
    public var name: String
    /// `created`, `running`, `paused`, `restarting`, `removing`, `exited` or `dead`.
    public var state: String
    /// `starting`, `healthy` or `unhealthy`; nil when the container has no healthcheck.
    public var health: String?
    public var exitCode: Int
    /// Whether the last exit was the kernel's OOM killer.
    public var oomKilled: Bool
    /// Restarts by the engine's restart policy.
    public var restartCount: Int
    /// Failed healthchecks in a row.
    public var failingStreak: Int
    /// The last healthcheck's output, trimmed.
    public var lastHealthOutput: String?

    public init(
        id: String, name: String, state: String, health: String? = nil, exitCode: Int = 0, oomKilled: Bool = false,
        restartCount: Int = 0, failingStreak: Int = 0, lastHealthOutput: String? = nil
    ) {
        self.id = id
        self.name = name
        self.state = state
        self.health = health
        self.exitCode = exitCode
        self.oomKilled = oomKilled
        self.restartCount = restartCount
        self.failingStreak = failingStreak
        self.lastHealthOutput = lastHealthOutput
    }

    /// Reads `GET /containers/{id}/json` (what `docker inspect` prints one element of).
    public init(inspect document: JSONNode) throws(EngineAnswerError) {
        guard let id = document["Id"]?.stringValue, let state = document["State"],
            let status = state["Status"]?.stringValue
        else { throw EngineAnswerError(reason: "a container without Id or State.Status") }
        let health = state["Health"]
        var output = health?["Log"]?.arrayValue?.last?["Output"]?.stringValue
        output = output.map { Self.trimmed($0) }
        self.init(
            id: String(id.prefix(12)), name: String((document["Name"]?.stringValue ?? id).drop { $0 == "/" }),
            state: status, health: health?["Status"]?.stringValue.flatMap { $0 == "none" ? nil : $0 },
            exitCode: state["ExitCode"]?.integerValue ?? 0, oomKilled: state["OOMKilled"]?.boolValue ?? false,
            restartCount: document["RestartCount"]?.integerValue ?? 0,
            failingStreak: health?["FailingStreak"]?.integerValue ?? 0,
            lastHealthOutput: output?.isEmpty == true ? nil : output)
    }

    /// The verdict compose itself gives: a container with a healthcheck is ready when healthy (what
    /// `depends_on: condition: service_healthy` waits for), one without when running.
    public var result: ProbeResult {
        var result: ProbeResult
        switch (state, health) {
        case ("running", nil), ("running", "healthy"):
            result = ProbeResult(outcome: .success, message: summary)
        case ("running", "starting"):
            result = .failure("container \(name) is starting: its healthcheck has not passed yet" + outputSuffix)
        case ("running", _):
            result = .failure("container \(name) is unhealthy after \(failingStreak) failed checks" + outputSuffix)
        case ("restarting", _):
            result = .failure(
                "container \(name) is restarting (restarted \(restartCount) times, last exit code \(exitCode)\(oomKilled ? ", OOM-killed" : ""))"
            )
        case ("exited", _), ("dead", _):
            result = .failure(
                "container \(name) exited with code \(exitCode)"
                    + (oomKilled ? ", killed by the kernel for memory (OOM)" : ""))
        default:
            result = .failure("container \(name) is \(state)")
        }
        result.container = self
        return result
    }

    /// `running, healthy` or `exited (137), OOM-killed`, for tables and pages.
    public var summary: String {
        var parts = [state == "exited" || state == "dead" ? "\(state) (\(exitCode))" : state]
        if let health { parts.append(health) }
        if oomKilled { parts.append("OOM-killed") }
        if restartCount > 0 { parts.append("\(restartCount) restarts") }
        return parts.joined(separator: ", ")
    }

    private var outputSuffix: String {
        lastHealthOutput.map { ": \($0)" } ?? ""
    }

    /// The last healthcheck's output on one line, at most 200 characters.
    static func trimmed(_ output: String) -> String {
        let line = output.split(whereSeparator: \.isNewline).map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
            .joined(separator: " / ")
        return line.count > 200 ? String(line.prefix(200)) + "…" : line
    }
}

/// The engine answered, but not with what its API documents.
public struct EngineAnswerError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public var description: String { "the container engine's answer is not what was expected: \(reason)" }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
