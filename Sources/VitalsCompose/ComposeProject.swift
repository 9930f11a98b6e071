/// What Vitals needs of a compose project, read from its merged, interpolated files.
public struct ComposeProject: Sendable {
    public var name: String
    public var services: [ComposeService]
    /// Things the files say that the import cannot carry over, with where they are.
    public var notes: [ComposeNote]
}

/// A problem worth the user's eye that does not stop the import.
public struct ComposeNote: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String {
        if file.isEmpty { return message }
        return line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)"
    }
}

/// One compose service, as far as monitoring it goes.
public struct ComposeService: Sendable {
    public var name: String
    public var image: String?
    /// `command`, joined with spaces (entrypoint first, when it is given).
    public var command: String
    public var ports: [PortMapping]
    public var expose: [Int]
    public var replicas: Int
    public var dependsOn: [(service: String, condition: String)]
    public var healthcheck: Healthcheck?
    public var labels: [String: String]
    public var environment: [String: String]
    public var profiles: [String]
    public var networkMode: String?

    /// One `ports:` entry: the container port and, when published, the host's.
    public struct PortMapping: Sendable, Hashable {
        public var hostIP: String?
        /// One host port per replica when a range is published (`8000-8002:8000`).
        public var published: [Int]
        public var target: Int
        public var proto: String
    }

    /// `healthcheck:` with compose's defaults filled in.
    public struct Healthcheck: Sendable, Hashable {
        /// `CMD`-style words; a `CMD-SHELL` string is `["/bin/sh", "-c", string]`.
        public var test: [String]
        public var shell: Bool
        public var intervalSeconds = 30.0
        public var timeoutSeconds = 30.0
        public var retries = 3
        public var startPeriodSeconds = 0.0
        public var startIntervalSeconds = 5.0
        /// The test as written, for comments.
        public var text: String { shell ? (test.last ?? "") : test.joined(separator: " ") }
    }
}
