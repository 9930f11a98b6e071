import VitalsExposition

/// One node_exporter collector: it reads kernel state and maps it to metric families.
///
/// Collectors are called concurrently from several scrapes at once, so they keep any
/// state they need behind a lock.
public protocol Collector: Sendable {
    /// Reads the current state and returns this collector's families.
    ///
    /// Throw ``CollectorError/noData`` when the data source is absent (an old kernel, a
    /// container without that file); the scrape then reports `node_scrape_collector_success 0`
    /// and carries on, exactly like node_exporter's `ErrNoData`.
    func collect() throws -> [MetricFamily]
}

/// Why a collector produced nothing.
public struct CollectorError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable { case noData, failed, timedOut }
    private let code: Code
    public let message: String

    /// The collector's data source does not exist here; not worth an error log line.
    public static func noData(_ message: String) -> CollectorError { CollectorError(code: .noData, message: message) }

    /// The collector failed for a reason worth an operator's attention.
    public static func failed(_ message: String) -> CollectorError { CollectorError(code: .failed, message: message) }

    /// The collector did not finish within its time budget.
    public static func timedOut(_ message: String) -> CollectorError {
        CollectorError(code: .timedOut, message: message)
    }

    public var isNoData: Bool { code == .noData }
    public var isTimeout: Bool { code == .timedOut }
    public var description: String { message }
}
