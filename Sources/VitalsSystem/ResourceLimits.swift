#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The process's descriptor limit, which bounds how many connections, files and probe sockets it
/// can hold at once.
public enum ResourceLimits {
    /// Raises the soft `RLIMIT_NOFILE` to the hard limit, as the Go runtime does at start for
    /// node_exporter, and returns the soft limit in effect afterwards.
    ///
    /// The soft limit is often 1,024 for historical `select(2)` reasons that do not apply to an
    /// epoll server; leaving it there lets a thousand idle clients starve the collectors and probes.
    @discardableResult
    public static func raiseDescriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return clamp(limit.rlim_cur)
    }

    /// The soft descriptor limit now in effect.
    public static func descriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return clamp(limit.rlim_cur)
    }

    /// How many client connections a server may hold when it has `limit` descriptors: a quarter
    /// stays in reserve for the files collectors read and the sockets probes open, and no more than
    /// 16,384 connections are held however high the limit, to bound the memory they cost.
    public static func defaultMaxConnections(descriptorLimit limit: Int) -> Int {
        max(16, min(16_384, limit - max(64, limit / 4)))
    }

    private static func clamp(_ value: rlim_t) -> Int {
        value >= rlim_t(Int.max) ? Int.max : Int(value)
    }
}
