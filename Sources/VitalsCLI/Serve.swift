import ArgumentParser
import Logging
import NIOCore
import VitalsDaemon
import VitalsHTTP
import VitalsLogging
import VitalsOrchestrator
import VitalsProbe
import VitalsStack
import VitalsStackFile
import VitalsSystem
import VitalsWebConfig

#if canImport(Glibc)
import Glibc
#endif

extension VitalsCommand {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Watch a stack continuously and serve its health and metrics.",
            discussion: """
                Probes every replica on its schedule (with jitter, so replicas are not probed in bursts) \
                and serves /metrics (blackbox_exporter's probe_* names plus vitals_service_* and \
                vitals_stack_ready), /health/ready (200 when every service is effectively ready, else \
                503, as application/health+json), /health/ready/<service>, /health and /health/live. \
                SIGHUP reloads the stack file (an invalid file is rejected and the old one kept); \
                SIGTERM stops it.
                """)

        @OptionGroup var stackFile: StackFileOptions

        @OptionGroup var probing: ProbeOptions

        @Option(name: .customLong("web.listen-address"), help: "Where to listen, as host:port or :port.")
        var listenAddress = ":9110"

        @OptionGroup(title: "Web server")
        var web: WebServerFlags

        func validate() throws {
            do {
                _ = try ListenAddress(parsing: listenAddress)
            } catch {
                throw ValidationError("--web.listen-address: \(error)")
            }
        }

        func run() async throws {
            // Handled from the start, so that a SIGTERM the moment the server listens (docker stop
            // right after start) is a clean shutdown, never the default action.
            let signals = ProcessSignals.stream(of: [SIGHUP, SIGTERM, SIGINT])
            let stack = try stackFile.load()
            let logger = DaemonStart.prepare(label: "vitals", logLevel: web.logLevel)
            let prober = try probing.makeProber()
            let history = StatusHistory()
            let monitor = Self.makeMonitor(stack, prober: prober, carryOver: [:], history: history, logger: logger)
            let responder = ServeResponder(monitor: monitor, history: history, logger: logger)
            var configuration = web.serverConfiguration(listening: [try ListenAddress(parsing: listenAddress)])
            var served: any HTTPResponder = responder
            var watcher: WebConfigWatcher?
            if let webConfigFile = web.webConfigFile {
                do {
                    (served, watcher) = try WebSecurity.apply(
                        path: webConfigFile, to: &configuration, responder: responder, logger: logger)
                } catch {
                    printError(error.description)
                    throw ExitCode(2)
                }
            }
            let server = HTTPServer(configuration: configuration, responder: served, logger: logger)
            let watching = Task { await watcher?.watch() }
            defer { watching.cancel() }
            do {
                try await server.start()
            } catch {
                logger.error("could not listen", metadata: ["address": "\(listenAddress)", "err": "\(error)"])
                throw ExitCode(1)
            }
            monitor.start(jitter: true)
            // The status page's history: a sample every 5 seconds (and one at every change).
            let sampler = prober.group.next().scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(5)) {
                _ in responder.sample()
            }
            defer { sampler.cancel() }
            logger.info(
                "watching stack",
                metadata: [
                    "stack": "\(stack.name)", "services": "\(stack.services.count)", "file": "\(stackFile.stackFile)",
                ])
            for await signal in signals {
                guard signal == SIGHUP else { break }
                reload(responder: responder, prober: prober, logger: logger)
            }
            logger.info("shutting down")
            responder.current.stop()
            prober.killRunningCommands()
            await server.shutdown()
        }

        /// Reads the stack file again; keeps the running stack when the new file is invalid.
        func reload(responder: ServeResponder, prober: Prober, logger: Logger) {
            let stack: Stack
            do {
                stack = try StackLoader.load(path: stackFile.stackFile)
            } catch {
                logger.error(
                    "reload rejected; keeping the running stack",
                    metadata: ["file": "\(stackFile.stackFile)", "errors": "\(error.description)"])
                return
            }
            let old = responder.current
            let new = Self.makeMonitor(
                stack, prober: prober, carryOver: old.probeStates(), history: responder.history, logger: logger)
            _ = responder.replace(with: new)
            old.stop()
            new.start(jitter: true)
            logger.info("reloaded stack", metadata: ["stack": "\(stack.name)", "services": "\(stack.services.count)"])
        }

        static func makeMonitor(
            _ stack: Stack, prober: Prober, carryOver: [StateKey: (ProbeSpec, ProbeState)], history: StatusHistory,
            logger: Logger
        ) -> StackMonitor {
            StackMonitor(stack: stack, prober: prober, carryOver: carryOver) { status in
                logger.debug("state changed", metadata: ["ready": "\(status.ready)"])
                history.record(status, at: ServeResponder.now())
            }
        }
    }
}
