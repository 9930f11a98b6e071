import VitalsSystem

/// The single values and listings of /proc the collectors read besides the counter files.
extension ProcFS {
    /// /proc/sys/net/netfilter/nf_conntrack_count and nf_conntrack_max, as written (absent files
    /// throw: conntrack is not loaded).
    public func conntrackTableSize() throws(FileSystemError) -> (count: String, limit: String) {
        (
            try FileAccess.readAttribute(path("sys/net/netfilter/nf_conntrack_count")),
            try FileAccess.readAttribute(path("sys/net/netfilter/nf_conntrack_max"))
        )
    }

    /// The process IDs listed under /proc, in directory order.
    public func processIDs() throws(FileSystemError) -> [String] {
        try FileAccess.listDirectory(root).compactMap { Int($0.name) == nil ? nil : $0.name }
    }

    /// The thread IDs of a process (/proc/PID/task); empty once it has gone.
    public func threadIDs(of pid: String) -> [String] {
        ((try? FileAccess.listDirectory(path(pid, "task"))) ?? []).compactMap { Int($0.name) == nil ? nil : $0.name }
    }

    /// /proc/PID/task/TID/stat.
    public func threadStat(pid: String, thread: String) throws -> ProcessStat {
        try ProcFS(root: path(pid, "task")).processStat(pid: thread)
    }

    /// A kernel limit such as sys/kernel/pid_max, as written.
    public func kernelLimit(_ relative: String) throws(FileSystemError) -> String {
        try FileAccess.readAttribute(path(relative))
    }

    /// Whether the kernel has IPv6 TCP sockets (/proc/net/tcp6 exists).
    public var hasIPv6TCP: Bool { FileAccess.exists(path("net/tcp6")) }
}
