import ArgumentParser
import Logging
import NIOCore
import VitalsDaemon
import VitalsDuration
import VitalsExporter
import VitalsHTTP
import VitalsLogging
import VitalsProcFS
import VitalsSystem
import VitalsWebConfig

#if canImport(Glibc)
import Glibc
#endif

/// `vitals-exporter`: a node_exporter-compatible host exporter.
public struct ExporterCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "vitals-exporter",
        abstract: "A Prometheus exporter for Linux host metrics, compatible with node_exporter.",
        discussion: """
            Reads /proc and /sys and serves the metrics with node_exporter's names, labels and flags, \
            so existing dashboards and alerts keep working. The collectors and their flags are listed \
            at the end.

            Run it in a container with the host's root mounted at /host and --path.rootfs=/host.
            """,
        version: VitalsVersion.current)

    @Option(
        name: .customLong("web.listen-address"),
        help: "Addresses on which to expose metrics and web interface, as host:port or :port. (repeatable)")
    var listenAddresses: [String] = [":9100"]

    @Option(name: .customLong("web.telemetry-path"), help: "Path under which to expose metrics.")
    var telemetryPath = "/metrics"

    @Flag(
        name: .customLong("web.disable-exporter-metrics"),
        help: "Exclude metrics about the exporter itself (process_*, promhttp_*).")
    var disableExporterMetrics = false

    @Option(
        name: .customLong("web.max-requests"),
        help: "Maximum number of parallel scrape requests. Use 0 to disable.")
    var maxRequests = 40

    @Option(name: .customLong("path.procfs"), help: "procfs mountpoint.")
    var procfs = "/proc"

    @Option(name: .customLong("path.sysfs"), help: "sysfs mountpoint.")
    var sysfs = "/sys"

    @Option(name: .customLong("path.rootfs"), help: "rootfs mountpoint.")
    var rootfs = "/"

    @Option(name: .customLong("path.udev.data"), help: "udev data path.")
    var udevData = "/run/udev/data"

    @Option(
        name: .customLong("collector.timeout"),
        help: "How long one collector may take before the scrape reports it as failed (a Vitals addition).")
    var collectorTimeout = "10s"

    @OptionGroup(title: "Web server")
    var web: WebServerFlags

    /// `--collector.<name>`, `--no-collector.<name>`, `--collector.disable-defaults` and every
    /// collector's own flags, parsed from the catalog by ``CollectorArguments``.
    @Argument(parsing: .allUnrecognized, help: .hidden)
    var collectorArguments: [String] = []

    public init() {}

    public func validate() throws {
        let collectors = try collectorSettings()
        do {
            try CollectorCatalog.validate(collectors.flags)
        } catch {
            throw ValidationError(error.message)
        }
        for address in listenAddresses {
            do {
                _ = try ListenAddress(parsing: address)
            } catch {
                throw ValidationError("--web.listen-address: \(error)")
            }
        }
        guard telemetryPath.hasPrefix("/") else {
            throw ValidationError("--web.telemetry-path must start with \"/\", got \"\(telemetryPath)\".")
        }
        guard maxRequests >= 0 else { throw ValidationError("--web.max-requests must be 0 or more.") }
        do {
            _ = try GoDuration.parse(collectorTimeout, in: Self.collectorTimeoutRange)
        } catch {
            throw ValidationError("--collector.timeout: \(error)")
        }
    }

    /// A collector may be given from a millisecond to an hour.
    static let collectorTimeoutRange = Duration.milliseconds(1)...Duration.seconds(3600)

    /// The collector toggles and flags given; anything else left over is not a flag of ours.
    func collectorSettings() throws(ValidationError) -> CollectorArguments {
        let parsed: CollectorArguments
        let rest: [String]
        do {
            (parsed, rest) = try CollectorArguments.parse(collectorArguments)
        } catch {
            throw ValidationError(error.message)
        }
        if let unknown = rest.first {
            throw ValidationError(
                unknown.hasPrefix("-") ? "Unknown option '\(unknown)'" : "Unexpected argument '\(unknown)'")
        }
        return parsed
    }

    /// The collector configuration these flags describe.
    func exporterConfiguration() throws(ValidationError) -> ExporterConfiguration {
        let collectors = try collectorSettings()
        var configuration = ExporterConfiguration()
        configuration.procFS = ProcFS(root: procfs, tally: MalformedInputTally())
        configuration.sysFS = SysFS(root: sysfs)
        configuration.rootFS = rootfs
        configuration.udevDataPath = udevData
        configuration.enabledCollectors = collectors.enabledCollectors()
        configuration.flags = collectors.flags
        do {
            try CollectorCatalog.validate(configuration.flags)
        } catch {
            throw ValidationError(error.message)
        }
        return configuration
    }

    /// The terminal's width, as ArgumentParser measures it for its own help; 80 when not a terminal.
    static func terminalColumns() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    /// The whole of `--help`: ArgumentParser's sections, then the collectors' from the catalog.
    public static func fullHelp(columns: Int? = nil) -> String {
        let columns = columns ?? 80
        return helpMessage(columns: columns) + "\n\n" + CollectorHelp.sections(columns: columns)
    }

    public func run() async throws {
        let logger = DaemonStart.prepare(label: "vitals-exporter", logLevel: web.logLevel)
        let scraper: Scraper
        do {
            let configuration = try exporterConfiguration()
            scraper = try Scraper(
                configuration: configuration, enabled: configuration.enabledCollectors,
                exporterCollectors: Scraper.standardExporterCollectors(
                    version: VitalsVersion.current, configuration: configuration),
                timeout: try GoDuration.parse(collectorTimeout, in: Self.collectorTimeoutRange), logger: logger)
        } catch {
            logger.error("invalid configuration", metadata: ["err": "\(error)"])
            throw ExitCode(2)
        }
        logger.info(
            "Starting vitals-exporter",
            metadata: [
                "version": "\(VitalsVersion.current)",
                "collectors": "\(scraper.enabledCollectors.joined(separator: ","))",
            ])

        var responderOptions = ExporterResponder.Options()
        responderOptions.telemetryPath = telemetryPath
        responderOptions.maxRequests = maxRequests
        responderOptions.includeExporterMetrics = !disableExporterMetrics
        let exporterResponder = ExporterResponder(scraper: scraper, options: responderOptions, logger: logger)
        var responder: any HTTPResponder = exporterResponder
        var serverConfiguration = web.serverConfiguration(
            listening: listenAddresses.map { try! ListenAddress(parsing: $0) })
        var watcher: WebConfigWatcher?
        if let webConfigFile = web.webConfigFile {
            do {
                (responder, watcher) = try WebSecurity.apply(
                    path: webConfigFile, to: &serverConfiguration, responder: responder, logger: logger)
            } catch {
                logger.error("invalid web config", metadata: ["err": "\(error)"])
                throw ExitCode(2)
            }
        }
        // Handled before the server listens, so that a SIGTERM the moment it does is a clean
        // shutdown, never the default action.
        var signals = ProcessSignals.stream(of: [SIGTERM, SIGINT]).makeAsyncIterator()
        let server = HTTPServer(configuration: serverConfiguration, responder: responder, logger: logger)
        do {
            try await server.start()
        } catch {
            logger.error("could not listen", metadata: ["address": "\(listenAddresses)", "err": "\(error)"])
            throw ExitCode(1)
        }
        let watching = Task { await watcher?.watch() }
        defer { watching.cancel() }
        Task { await exporterResponder.warmUp() }
        let signal = await signals.next() ?? SIGTERM
        logger.info("Shutting down", metadata: ["signal": "\(signal == SIGTERM ? "SIGTERM" : "SIGINT")"])
        await server.shutdown()
    }
}

/// The entry point of the `vitals-exporter` executable.
public enum ExporterMain {
    public static func run() async {
        MemoryTuning.limitArenas()
        // The collectors' flags are not ArgumentParser's, so neither is the help that lists them.
        let arguments = CommandLine.arguments.dropFirst().prefix { $0 != "--" }
        if arguments.contains("--help") || arguments.contains("-h") {
            print(ExporterCommand.fullHelp(columns: ExporterCommand.terminalColumns()))
            return
        }
        await CommandEntry.run(ExporterCommand.self)
    }
}
