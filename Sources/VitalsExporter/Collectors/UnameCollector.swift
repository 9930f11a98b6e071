import Logging
import VitalsExposition

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `uname`: the kernel's identity from `uname(2)`.
struct UnameCollector: Collector {
    func collect() throws -> [MetricFamily] {
        var name = utsname()
        guard uname(&name) == 0 else { throw CollectorError.failed("uname failed with errno \(errno)") }
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
        var family = MetricFamily.gauge(
            "node_uname_info", "Labeled system information as provided by the uname system call.")
        family.add(
            1, Label("domainname", field(name.__domainname)), Label("machine", field(name.machine)),
            Label("nodename", field(name.nodename)), Label("release", field(name.release)),
            Label("sysname", field(name.sysname)), Label("version", field(name.version)))
        return [family]
    }
}

extension UnameCollector: CollectorDefinition {
    static let name = "uname"
    static let enabledByDefault = true

    init(configuration: ExporterConfiguration, logger: Logger) {
        self.init()
    }
}
