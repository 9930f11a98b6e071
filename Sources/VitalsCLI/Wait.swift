#if canImport(Glibc)
import ArgumentParser
import Glibc
import VitalsDaemon
import VitalsDuration
import VitalsOrchestrator
import VitalsProbe
import VitalsStack
import VitalsSystem
#endif

extension VitalsCommand {
    struct Wait: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Wait until services are ready, in dependency order, then run a command.",
            discussion: """
                Probes with the full Kubernetes semantics (thresholds, startup probes gating the others) \
                until every selected service and everything it depends on is ready. Then it runs COMMAND \
                in its place, or exits 0. On timeout it exits 1 and says what was not ready and why; it \
                exits 1 at once when a startup probe uses up its failureThreshold.

                Example: vitals wait stacks/chatbot.yaml --service backend -- pytest tests/e2e
                """)

        @OptionGroup var stackFile: StackFileOptions

        @OptionGroup var probing: ProbeOptions

        @Option(name: .customLong("service"), help: "Wait for this service and its dependencies (repeatable).")
        var services: [String] = []

        @Option(help: "How long to wait, as a Go duration such as 120s, 5m or 1h30m.")
        var timeout = "120s"

        @Argument(parsing: .postTerminator, help: "A command to run once everything is ready.")
        var command: [String] = []

        func validate() throws {
            do {
                _ = try GoDuration.parse(timeout)
            } catch {
                throw ValidationError("--timeout: \(error)")
            }
        }

        func run() async throws {
            let stack = try stackFile.load()
            try validateSelection(services, in: stack)
            let prober = try probing.makeProber()
            let (changes, continuation) = AsyncStream<StackStatus>.makeStream(bufferingPolicy: .bufferingNewest(1))
            let monitor = StackMonitor(stack: stack, selection: services, prober: prober) { continuation.yield($0) }
            var progress = Progress(interactive: isatty(STDERR_FILENO) == 1)
            monitor.start()
            defer {
                monitor.stop()
                prober.killRunningCommands()
            }

            let deadline = ContinuousClock.now + (try GoDuration.parse(timeout))
            let timer = Task {
                try? await Task.sleep(until: deadline)
                continuation.yield(monitor.status())
            }
            defer { timer.cancel() }
            var updates = changes.makeAsyncIterator()
            var status = monitor.status()
            progress.show(status)
            while true {
                if status.ready {
                    progress.finish("ready: \(status.services.map(\.name).joined(separator: ", "))")
                    break
                }
                if let exhausted = status.services.first(where: \.startupExhausted) {
                    progress.finish(nil)
                    printError(
                        "\(exhausted.name): \(exhausted.reason ?? "startup probe failed"); not waiting any longer")
                    throw ExitCode(1)
                }
                if ContinuousClock.now >= deadline {
                    progress.finish(nil)
                    printError("timed out after \(timeout); not ready:")
                    for service in status.services where !service.effectivelyReady {
                        printError("  \(service.name): \(service.reason ?? "not ready")")
                    }
                    throw ExitCode(1)
                }
                guard let next = await updates.next() else { break }
                status = next
                progress.show(status)
            }
            monitor.stop()
            prober.killRunningCommands()
            if !command.isEmpty { try execute(command) }
        }

        /// Replaces this process with the command, as `exec` in a shell. The command starts with an
        /// empty signal mask and default dispositions, so that `docker stop` reaches it.
        func execute(_ command: [String]) throws {
            fflush(nil)
            SignalReset.prepareForExec()
            let arguments = command.map { strdup($0) } + [nil]
            execvp(command[0], arguments)
            printError("cannot run \(command[0]): \(String(cString: strerror(errno)))")
            throw ExitCode(127)
        }
    }
}

/// What `wait` tells a person: a line whenever a service's state changes.
struct Progress {
    private var last: [String: String] = [:]
    private let interactive: Bool

    init(interactive: Bool) {
        self.interactive = interactive
    }

    mutating func show(_ status: StackStatus) {
        for service in status.services {
            let line: String
            if service.effectivelyReady {
                line = "ready"
            } else if let blocked = service.blockedBy {
                line = "ready, waiting for \(blocked)"
            } else {
                line = "waiting: \(service.reason ?? "not ready")"
            }
            if last[service.name] != line {
                last[service.name] = line
                printError((interactive ? "· " : "") + "\(service.name): \(line)")
            }
        }
    }

    func finish(_ message: String?) {
        if let message { printError((interactive ? "✓ " : "") + message) }
    }
}
