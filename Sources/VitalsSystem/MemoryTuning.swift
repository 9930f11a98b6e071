import CVitalsSystem

/// glibc malloc settings for a small, long-running daemon.
public enum MemoryTuning {
    /// Caps malloc arenas: glibc otherwise gives every allocating thread an arena of its own,
    /// whose reserved pages stay resident after a burst of concurrent scrapes.
    public static func limitArenas(_ count: Int32 = 1) {
        _ = vitals_limit_malloc_arenas(count)
    }

    /// Gives freed heap pages back to the kernel.
    public static func trim() {
        _ = vitals_trim_malloc()
    }
}
