#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import VitalsExposition
import VitalsProcFS

/// `systemd` (off by default): unit states from systemd over D-Bus.
///
/// Without a D-Bus system bus (containers, minimal hosts) it fails cleanly: the scrape reports
/// `node_scrape_collector_success{collector="systemd"} 0` and the log says which socket was missing,
/// as node_exporter does.
struct SystemdCollector: Collector {
    let options: SystemdOptions

    func collect() throws -> [MetricFamily] {
        let socketPath = options.busSocket
        guard FileAccess.exists(socketPath) else {
            throw CollectorError.failed(
                "couldn't get dbus connection: dial unix \(socketPath): connect: no such file or directory")
        }
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw CollectorError.failed("couldn't get dbus connection: socket: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(socketPath.utf8.prefix(capacity - 1))
            raw.copyBytes(from: bytes)
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno))
            throw CollectorError.failed("couldn't get dbus connection: dial unix \(socketPath): connect: \(reason)")
        }
        throw CollectorError.failed(
            "a D-Bus system bus is present at \(socketPath), but reading units over D-Bus is not implemented yet")
    }
}
