import NIOCore
import NIOPosix
import NIOSSL
import VitalsStack

/// Runs probes of every handler type against replicas, on SwiftNIO, without a task per probe,
/// so that a daemon can run thousands a second on two cores.
public final class Prober: Sendable {
    public let group: any EventLoopGroup
    private let http: HTTPProbe
    private let tcp: TCPProbe
    private let redis: RedisProbe
    private let exec: ExecProbe
    private let container: ContainerProbe

    /// Where the Docker Engine API listens when `DOCKER_HOST` does not say: Docker's default, which
    /// Podman's compatible service also offers.
    public static let defaultEngineSocket = "/var/run/docker.sock"

    /// The engine socket from `DOCKER_HOST` (`unix:///path`), else Docker's default.
    public static func engineSocket(environment: [String: String]) -> String {
        if let host = environment["DOCKER_HOST"], host.hasPrefix("unix://") { return String(host.dropFirst(7)) }
        return defaultEngineSocket
    }

    /// - Parameters:
    ///   - userAgent: sent by HTTP probes (`vitals-probe/<version>`).
    ///   - engineSocket: the Docker Engine API's unix socket, for container probes.
    public init(
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, userAgent: String,
        engineSocket: String = Prober.defaultEngineSocket
    ) throws {
        self.group = group
        var insecure = TLSConfiguration.makeClientConfiguration()
        insecure.certificateVerification = .none
        let verifying = TLSConfiguration.makeClientConfiguration()
        let resolver = HostResolver()
        http = HTTPProbe(
            group: group, resolver: resolver, userAgent: userAgent,
            insecureTLS: try NIOSSLContext(configuration: insecure),
            verifyingTLS: try NIOSSLContext(configuration: verifying))
        tcp = TCPProbe(group: group, resolver: resolver)
        redis = RedisProbe(group: group, resolver: resolver)
        exec = ExecProbe(group: group)
        container = ContainerProbe(engine: EngineClient(group: group, socketPath: engineSocket))
    }

    /// Runs one probe against one replica; never fails, a failure is a result.
    public func run(_ handler: ProbeHandler, endpoint: Endpoint, timeoutSeconds: Int) -> EventLoopFuture<ProbeResult> {
        let started = NIODeadline.now()
        let deadline = started + .seconds(Int64(timeoutSeconds))
        let future: EventLoopFuture<ProbeResult>
        switch handler {
        case .httpGet(let action):
            future = http.run(action, endpoint: endpoint, deadline: deadline)
        case .tcpSocket(let port):
            future = tcp.run(host: endpoint.host, port: port ?? endpoint.port, deadline: deadline)
        case .redisPing(let port):
            future = redis.run(host: endpoint.host, port: port ?? endpoint.port, deadline: deadline)
        case .exec(let command):
            future = exec.run(command: command, timeout: .seconds(Int64(timeoutSeconds)))
        case .container(let selector):
            future = container.run(selector, deadline: deadline)
        }
        return future.map { result in
            var timed = result
            timed.durationSeconds = Double((NIODeadline.now() - started).nanoseconds) / 1e9
            return timed
        }
    }

    /// Kills exec probe commands still running, with their process groups: a vitals that stops
    /// leaves nothing behind.
    public func killRunningCommands() {
        ExecProbe.killRunning()
    }

    /// The async form, for one-off checks.
    public func run(_ handler: ProbeHandler, endpoint: Endpoint, timeoutSeconds: Int) async -> ProbeResult {
        (try? await run(handler, endpoint: endpoint, timeoutSeconds: timeoutSeconds).get())
            ?? .failure("the probe could not run")
    }
}
