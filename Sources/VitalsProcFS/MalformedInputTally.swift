import Synchronization

/// Counts lines of kernel files that did not parse and were skipped, per file, since start.
///
/// Parsers skip a bad line rather than fail a whole file; this tally makes the skipping visible
/// (the exporter exposes it as `vitals_exporter_malformed_lines_total{file}`), so silent data loss
/// on an unusual kernel shows up on a dashboard instead of going unnoticed.
public final class MalformedInputTally: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    public init() {}

    /// Adds `lines` skipped lines for `file`; zero is recorded too, so every read file appears.
    public func record(_ lines: Int, in file: String) {
        counts.withLock { $0[file, default: 0] += lines }
    }

    /// The totals so far, by file path.
    public var totals: [String: Int] { counts.withLock { $0 } }
}
