/// Files of `name value` lines: /proc/vmstat and /proc/net/snmp6.
public struct KeyValueStats: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var value: Double
    }

    public var entries: [Entry] = []
    public var malformedLines = 0

    public init() {}

    public static func parse(_ bytes: [UInt8]) -> KeyValueStats {
        var stats = KeyValueStats()
        stats.malformedLines = forEachEntry(bytes) { _, name, value in
            stats.entries.append(Entry(name: ByteText.string(name), value: value))
        }
        return stats
    }

    /// Calls `body` with each well-formed line's position among them, its key and its value, and
    /// returns how many lines were malformed; builds nothing, so that a reader that wants only a
    /// few keys pays for only those.
    @inlinable
    public static func forEachEntry(
        _ bytes: [UInt8], _ body: (_ position: Int, _ name: ArraySlice<UInt8>, _ value: Double) -> Void
    ) -> Int {
        var malformed = 0
        var position = 0
        ByteText.forEachLine(bytes) { line in
            var cursor = line.startIndex
            guard let name = ByteText.nextField(line, from: &cursor) else { return }
            guard let valueField = ByteText.nextField(line, from: &cursor),
                ByteText.nextField(line, from: &cursor) == nil,
                let value = ByteText.parseDouble(line[valueField])
            else {
                malformed += 1
                return
            }
            body(position, line[name], value)
            position += 1
        }
        return malformed
    }
}
