import VitalsSystem

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

    private let condition = ThreadCondition(monotonic: true)
    // Guarded by `condition`'s lock.
    private var entries: [UInt64: (deadline: UInt64, fire: @Sendable () -> Void)] = [:]
    private var nextID: UInt64 = 0
    private var started = false
    /// The deadline the thread sleeps until: `.max` when it sleeps until woken, 0 while it runs.
    /// Only an earlier deadline wakes it; waking it for every scrape cost a thread switch each.
    private var sleepingUntil: UInt64 = 0

    private init() {}

    /// Calls `fire` after `delay` unless ``cancel(_:)`` comes first. Returns the entry's id.
    func schedule(after delay: Duration, _ fire: @escaping @Sendable () -> Void) -> UInt64 {
        let deadline = Self.now() &+ UInt64(max(0, delay.nanoseconds))
        condition.lock()
        nextID &+= 1
        let id = nextID
        entries[id] = (deadline, fire)
        let startThread = !started
        started = true
        if deadline < sleepingUntil { condition.signal() }
        condition.unlock()
        if startThread { start() }
        return id
    }

    /// Forgets an entry whose work finished in time.
    func cancel(_ id: UInt64) {
        condition.lock()
        entries.removeValue(forKey: id)
        condition.unlock()
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
        condition.lock()
        while true {
            guard let earliest = entries.values.lazy.map(\.deadline).min() else {
                sleepingUntil = .max
                condition.wait()
                sleepingUntil = 0
                continue
            }
            let now = Self.now()
            if earliest > now {
                sleepingUntil = earliest
                condition.wait(until: earliest)
                sleepingUntil = 0
                continue
            }
            let expired = entries.filter { $0.value.deadline <= now }
            for id in expired.keys { entries.removeValue(forKey: id) }
            condition.unlock()
            for entry in expired.values { entry.fire() }
            condition.lock()
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
