import CVitalsSystem

/// The calling thread, for what Foundation's Thread would offer, without Foundation.
public enum CurrentThread {
    /// Names the thread as `top -H` and /proc/PID/task/TID/comm show it; the kernel keeps 15 bytes.
    public static func setName(_ name: String) {
        _ = vitals_name_current_thread(name)
    }
}
