#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One thread that fires deadlines for in-flight blocking work.
///
/// Per-run timers (`asyncAfter`, `Task.sleep`) stay allocated until their deadline even when the
/// work finished long before; at thousands of collector runs a second with a 10 s timeout that is
/// tens of megabytes. Here a finished run simply removes its entry, and the thread sleeps until
/// the earliest remaining deadline, or indefinitely when nothing is in flight.
final class DeadlineMonitor: @unchecked Sendable {
    static let shared = DeadlineMonitor()

    // Guarded by `mutex`, which with `condition` lives in allocated memory: pthread objects must
    // never move, and a stored property of a class has no stable address.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var entries: [UInt64: (deadline: UInt64, fire: @Sendable () -> Void)] = [:]
    private var nextID: UInt64 = 0
    private var started = false

    private init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    /// Calls `fire` after `delay` unless ``cancel(_:)`` comes first. Returns the entry's id.
    func schedule(after delay: Duration, _ fire: @escaping @Sendable () -> Void) -> UInt64 {
        let deadline = Self.now() &+ UInt64(max(0, delay.nanoseconds))
        pthread_mutex_lock(mutex)
        nextID &+= 1
        let id = nextID
        entries[id] = (deadline, fire)
        let startThread = !started
        started = true
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
        if startThread { start() }
        return id
    }

    /// Forgets an entry whose work finished in time.
    func cancel(_ id: UInt64) {
        pthread_mutex_lock(mutex)
        entries.removeValue(forKey: id)
        pthread_mutex_unlock(mutex)
    }

    private func start() {
        var thread = pthread_t()
        let created = pthread_create(
            &thread, nil,
            { context in
                Unmanaged<DeadlineMonitor>.fromOpaque(context!).takeUnretainedValue().run()
                return nil
            }, Unmanaged.passUnretained(self).toOpaque())
        if created == 0 { pthread_detach(thread) }
    }

    private func run() {
        pthread_mutex_lock(mutex)
        while true {
            guard let earliest = entries.values.lazy.map(\.deadline).min() else {
                pthread_cond_wait(condition, mutex)
                continue
            }
            let now = Self.now()
            if earliest > now {
                var until = timespec(tv_sec: Int(earliest / 1_000_000_000), tv_nsec: Int(earliest % 1_000_000_000))
                pthread_cond_timedwait(condition, mutex, &until)
                continue
            }
            let expired = entries.filter { $0.value.deadline <= now }
            for id in expired.keys { entries.removeValue(forKey: id) }
            pthread_mutex_unlock(mutex)
            for entry in expired.values { entry.fire() }
            pthread_mutex_lock(mutex)
        }
    }

    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
