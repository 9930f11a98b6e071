import ArgumentParser
import Logging
import NIOCore
import VitalsDaemon
import VitalsHTTP
import VitalsKubernetes
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

                A replica written as a Kubernetes Service (backend.chat.svc:8000) stands for every ready \
                pod behind it: inside a cluster (or with --kubernetes.api-server) serve watches the \
                Service's EndpointSlices and probes each ready pod; a Service with no ready pod, or whose \
                pods are not known yet, is probed at its own address. See docs/kubernetes.md.
                """)

        @OptionGroup var stackFile: StackFileOptions

        @OptionGroup var probing: ProbeOptions

        @OptionGroup(title: "Kubernetes")
        var kubernetes: KubernetesOptions

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

        /// What the serving loop reacts to.
        enum Event: Sendable {
            case signal(Int32)
            /// The pods behind a Kubernetes Service changed.
            case discovered
        }

        func run() async throws {
            // Handled from the start, so that a SIGTERM the moment the server listens (docker stop
            // right after start) is a clean shutdown, never the default action.
            let signals = ProcessSignals.stream(of: [SIGHUP, SIGTERM, SIGINT])
            let declared = try stackFile.load()
            let logger = DaemonStart.prepare(label: "vitals", logLevel: web.logLevel)
            let prober = try probing.makeProber()
            let history = StatusHistory()
            let (events, emit) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(64))
            let discovery = try makeDiscovery(for: declared, group: prober.group, logger: logger)
            var watching = discovery.map { Self.watch($0, emit: emit, logger: logger) }
            let monitor = Self.makeMonitor(
                KubernetesDiscovery.resolve(declared, with: discovery?.current ?? [:]), prober: prober, carryOver: [:],
                history: history, logger: logger)
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
            let webConfigWatching = Task { await watcher?.watch() }
            defer { webConfigWatching.cancel() }
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
                    "stack": "\(declared.name)", "services": "\(declared.services.count)",
                    "file": "\(stackFile.stackFile)",
                ])
            let forwarding = Task {
                for await signal in signals { emit.yield(.signal(signal)) }
            }
            defer { forwarding.cancel() }
            var current = (declared: declared, discovery: discovery)
            serving: for await event in events {
                switch event {
                case .signal(SIGHUP):
                    guard let reloaded = reload(responder: responder, prober: prober, current: current, logger: logger)
                    else { continue }
                    if reloaded.discovery !== current.discovery {
                        watching?.cancel()
                        watching = reloaded.discovery.map { Self.watch($0, emit: emit, logger: logger) }
                    }
                    current = reloaded
                case .signal:
                    break serving
                case .discovered:
                    let pods = current.discovery?.current ?? [:]
                    let resolved = KubernetesDiscovery.resolve(current.declared, with: pods)
                    guard resolved != responder.current.stack else { continue }
                    Self.swap(to: resolved, responder: responder, prober: prober, logger: logger)
                    logger.info(
                        "ready pods changed",
                        metadata: [
                            "pods":
                                "\(pods.sorted { $0.key.description < $1.key.description }.map { "\($0.key)=\($0.value.count)" }.joined(separator: ","))"
                        ])
                }
            }
            logger.info("shutting down")
            watching?.cancel()
            responder.current.stop()
            prober.killRunningCommands()
            await server.shutdown()
        }

        /// The discovery of the pods behind the stack's Kubernetes Services, when it names any.
        func makeDiscovery(for stack: Stack, group: any EventLoopGroup, logger: Logger) throws -> KubernetesDiscovery? {
            let services = KubernetesDiscovery.services(in: stack)
            guard !services.isEmpty else { return nil }
            guard let configuration = try kubernetes.configuration() else {
                logger.warning(
                    "the stack names Kubernetes Services, but vitals serve is not in a pod and --kubernetes.api-server is not given; probing the Services' own addresses",
                    metadata: ["services": "\(services.map(\.description).joined(separator: ","))"])
                return nil
            }
            do {
                return KubernetesDiscovery(
                    client: try KubernetesAPIClient(configuration: configuration, group: group), stack: stack)
            } catch {
                printError("\(error)")
                throw ExitCode(2)
            }
        }

        static func watch(_ discovery: KubernetesDiscovery, emit: AsyncStream<Event>.Continuation, logger: Logger)
            -> Task<Void, Never>
        {
            logger.info(
                "discovering pods",
                metadata: [
                    "api": "\(discovery.client.configuration.server)",
                    "services": "\(discovery.services.map(\.description).joined(separator: ","))",
                ])
            return Task {
                await discovery.run(
                    changed: { emit.yield(.discovered) },
                    failed: { service, error in
                        logger.error("discovery failed", metadata: ["service": "\(service)", "err": "\(error)"])
                    })
            }
        }

        /// Replaces the running monitor with one for `stack`, carrying over the probe states of the
        /// replicas both have.
        static func swap(to stack: Stack, responder: ServeResponder, prober: Prober, logger: Logger) {
            let old = responder.current
            let new = makeMonitor(
                stack, prober: prober, carryOver: old.probeStates(), history: responder.history, logger: logger)
            _ = responder.replace(with: new)
            old.stop()
            new.start(jitter: true)
        }

        /// Reads the stack file again; keeps the running stack when the new file is invalid. The
        /// discovery is kept when the new stack names the same Kubernetes Services.
        func reload(
            responder: ServeResponder, prober: Prober, current: (declared: Stack, discovery: KubernetesDiscovery?),
            logger: Logger
        ) -> (declared: Stack, discovery: KubernetesDiscovery?)? {
            let stack: Stack
            do {
                stack = try StackLoader.load(path: stackFile.stackFile)
            } catch {
                logger.error(
                    "reload rejected; keeping the running stack",
                    metadata: ["file": "\(stackFile.stackFile)", "errors": "\(error.description)"])
                return nil
            }
            var discovery = current.discovery
            if KubernetesDiscovery.services(in: stack) != (current.discovery?.services ?? []) {
                discovery = try? makeDiscovery(for: stack, group: prober.group, logger: logger)
            }
            Self.swap(
                to: KubernetesDiscovery.resolve(stack, with: discovery?.current ?? [:]), responder: responder,
                prober: prober, logger: logger)
            logger.info("reloaded stack", metadata: ["stack": "\(stack.name)", "services": "\(stack.services.count)"])
            return (stack, discovery)
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
