import ArgumentParser
import VitalsDaemon
import VitalsProcFS
import VitalsSystem

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
        subcommands: [Validate.self, Check.self, Wait.self, Serve.self, Provision.self, Import.self])

    public init() {}
}

/// The entry point of the `vitals` executable.
public enum VitalsMain {
    public static func run() async {
        MemoryTuning.limitArenas(2)
        await CommandEntry.run(VitalsCommand.self)
    }
}
