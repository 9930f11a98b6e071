import Synchronization

/// The `# HELP` and `# TYPE` lines of a scrape's families, remembered from the last scrape by
/// position.
///
/// A scrape writes the same few hundred headers every time; escaping and copying their HELP texts
/// was a fifth of the writer's work. A family whose name, HELP and type are those remembered at its
/// position gets the remembered lines. Most of these are the very same strings as last time, so
/// the check costs a pointer comparison each.
public final class HeaderMemo: Sendable {
    struct Entry: Sendable {
        var name: String
        var help: String
        var type: MetricType
        /// The `# HELP` line (empty without HELP) and the `# TYPE` line, each with its newline.
        var helpLine: [UInt8]
        var typeLine: [UInt8]

        func describes(_ family: MetricFamily) -> Bool {
            name == family.name && help == family.help && type == family.type
        }
    }

    private let last = Mutex<[Entry]>([])

    public init() {}

    /// The entries of the last scrape.
    func entries() -> [Entry] { last.withLock { $0 } }

    /// Keeps `entries` for the next scrape.
    func remember(_ entries: [Entry]) { last.withLock { $0 = entries } }
}
