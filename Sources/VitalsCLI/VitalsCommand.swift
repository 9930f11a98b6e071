import ArgumentParser
import VitalsProcFS

/// `vitals`: checks, waits for and watches a declared stack, and writes its monitoring configuration.
public struct VitalsCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "vitals",
        abstract: "Health checks and monitoring configuration for container stacks.",
        discussion: """
            A stack file declares the services of a stack (FastAPI replicas, Redis, Celery, Postgres, \
            Prometheus, Grafana, …) and how to probe them, with Kubernetes' probe fields. See \
            docs/stack-file.md.

            Exit codes: 0 success or ready, 1 not ready or timed out, 2 invalid stack file or usage.
            """,
        version: VitalsVersion.current,
        subcommands: [Validate.self, Check.self, Wait.self, Serve.self, Provision.self])

    public init() {}
}

/// The entry point of the `vitals` executable.
public enum VitalsMain {
    public static func run() async {
        MemoryTuning.limitArenas(2)
        do {
            var command = try VitalsCommand.parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            // Usage errors exit 2, like an invalid stack file, so scripts need tell only
            // "not ready" (1) from "you called it wrong" (2).
            if VitalsCommand.exitCode(for: error) == .validationFailure {
                printError(VitalsCommand.fullMessage(for: error))
                VitalsCommand.exit(withError: ExitCode(2))
            }
            VitalsCommand.exit(withError: error)
        }
    }
}

/// The version of this build of Vitals.
public enum VitalsVersion {
    public static let current = "0.1.0"
    /// Sent by HTTP probes.
    public static var userAgent: String { "vitals-probe/\(current)" }
}
