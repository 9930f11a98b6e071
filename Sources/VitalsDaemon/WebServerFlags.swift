import ArgumentParser
import NIOCore
import VitalsDuration
import VitalsHTTP
import VitalsLogging
import VitalsSystem

/// The web flags every Vitals daemon shares: security, timeouts, connection cap and log level.
///
/// Each daemon keeps its own `--web.listen-address`, whose default port differs.
public struct WebServerFlags: ParsableArguments {
    @Option(
        name: .customLong("web.config.file"),
        help: "Path to a configuration file that can enable TLS or authentication (exporter-toolkit's format).")
    public var webConfigFile: String?

    @Option(
        name: .customLong("web.read-timeout"),
        help: "How long a client may take to send a whole request before it is disconnected (a Vitals addition).")
    public var readTimeout = "10s"

    @Option(
        name: .customLong("web.write-timeout"),
        help: "How long a client may take to read a response before it is disconnected (a Vitals addition).")
    public var writeTimeout = "30s"

    @Option(
        name: .customLong("web.idle-timeout"),
        help: "How long a keep-alive connection may sit idle before it is closed (a Vitals addition).")
    public var idleTimeout = "60s"

    @Option(
        name: .customLong("web.max-connections"),
        help: ArgumentHelp(
            "Connections held at once; at the cap the idlest keep-alive connection is closed to make room (a Vitals addition).",
            discussion: "Defaults to three quarters of the descriptor limit, at most 16384."))
    public var maxConnections: Int?

    @Option(
        name: .customLong("log.level"),
        help: "Only log messages with the given severity or above: debug, info, warn, error.")
    public var logLevel = "info"

    public init() {}

    /// Web timeouts may be from a millisecond to a day.
    public static let timeoutRange = Duration.milliseconds(1)...Duration.seconds(86_400)

    public func validate() throws {
        for (flag, value) in [
            ("--web.read-timeout", readTimeout), ("--web.write-timeout", writeTimeout),
            ("--web.idle-timeout", idleTimeout),
        ] {
            do {
                _ = try GoDuration.parse(value, in: Self.timeoutRange)
            } catch {
                throw ValidationError("\(flag): \(error)")
            }
        }
        if let maxConnections, maxConnections < 1 {
            throw ValidationError("--web.max-connections must be at least 1, got \(maxConnections).")
        }
        guard LogfmtLogHandler.level(named: logLevel) != nil else {
            throw ValidationError("--log.level must be one of debug, info, warn, error; got \"\(logLevel)\".")
        }
    }

    /// The server configuration for `addresses`. Call after ``DaemonStart/prepare()``, which
    /// raises the descriptor limit that the default connection cap derives from.
    public func serverConfiguration(listening addresses: [ListenAddress]) -> HTTPServerConfiguration {
        var configuration = HTTPServerConfiguration(listenAddresses: addresses)
        // validate() has checked these; the fallbacks are never used.
        configuration.requestReadTimeout = timeAmount(readTimeout, fallback: configuration.requestReadTimeout)
        configuration.writeTimeout = timeAmount(writeTimeout, fallback: configuration.writeTimeout)
        configuration.idleTimeout = timeAmount(idleTimeout, fallback: configuration.idleTimeout)
        configuration.maxConnections =
            maxConnections ?? ResourceLimits.defaultMaxConnections(descriptorLimit: ResourceLimits.descriptorLimit())
        return configuration
    }

    private func timeAmount(_ text: String, fallback: TimeAmount) -> TimeAmount {
        (try? GoDuration.nanoseconds(text, in: Self.timeoutRange)).map(TimeAmount.nanoseconds) ?? fallback
    }
}
