import Synchronization

/// The collector runs in flight across concurrent scrapes, so that a collector never runs twice at
/// once: a scrape that needs a collector another scrape is already running waits for that run's
/// result instead of starting its own.
///
/// A collector that hangs in the kernel (a stale NFS mount, a FIFO where a file should be) thus
/// holds one thread however many scrapes come and go, and overlapping scrapes under load share the
/// work of each collector rather than repeating it.
final class CollectorFlights: Sendable {
    /// A scrape waiting for one job's result.
    struct Waiter: Sendable {
        var run: ScrapeRun
        var index: Int
    }

    enum Start {
        /// No run in flight: the caller runs the collector and reports with ``finish(_:with:)``.
        case run
        /// Another scrape's run is in flight; its result will be delivered to the waiter.
        case joined
    }

    private let flights = Mutex<[String: [Waiter]]>([:])

    /// Starts `name` for `waiter`, or joins the run in flight.
    func start(_ name: String, for waiter: Waiter) -> Start {
        flights.withLock { flights in
            if flights[name] != nil {
                flights[name]!.append(waiter)
                return .joined
            }
            flights[name] = []
            return .run
        }
    }

    /// Ends the run of `name` and returns the scrapes that joined it.
    func finish(_ name: String) -> [Waiter] {
        flights.withLock { $0.removeValue(forKey: name) ?? [] }
    }

    /// Whether `name` has a run in flight.
    func isRunning(_ name: String) -> Bool {
        flights.withLock { $0[name] != nil }
    }
}
