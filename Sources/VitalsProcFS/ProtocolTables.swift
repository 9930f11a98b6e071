/// /proc/net/netstat and /proc/net/snmp as the exporter reads them on every scrape: each pair of a
/// header line of field names and a line of values, with only the columns the caller picks from
/// the header parsed. node_exporter keeps a few dozen of several hundred fields, and the caller can
/// cache its pick per header line, so a scrape parses only the numbers it exports.
public struct ProtocolTables<Column: Sendable>: Sendable {
    /// The picked columns' values, in file order.
    public var values: [(column: Column, value: Double)] = []
    /// Picked values that were missing or not numbers.
    public var malformedLines = 0

    public init() {}

    /// `columns` gets each header line whole (`Tcp: RtoAlgorithm RtoMin ...`) with its table's
    /// position in the file, and returns the field positions to keep (0 is the `Tcp:` label), each
    /// with the caller's column.
    @inlinable
    public static func parse(
        _ bytes: [UInt8], columns: (_ position: Int, _ header: ArraySlice<UInt8>) -> [(index: Int, column: Column)]
    ) -> ProtocolTables {
        var tables = ProtocolTables()
        var header: ArraySlice<UInt8>?
        var position = 0
        ByteText.forEachLine(bytes) { line in
            guard let names = header else {
                header = line
                return
            }
            header = nil
            let picked = columns(position, names)
            position += 1
            guard !picked.isEmpty else { return }
            // Walk to each picked field instead of splitting the line: the picks ascend, and the
            // line has up to a hundred fields of which a few are wanted.
            var cursor = line.startIndex
            var fieldIndex = -1
            var field: Range<Int>?
            for (index, column) in picked {
                if index < fieldIndex {
                    cursor = line.startIndex
                    fieldIndex = -1
                    field = nil
                }
                while fieldIndex < index, let next = ByteText.nextField(line, from: &cursor) {
                    fieldIndex += 1
                    field = next
                }
                guard fieldIndex == index, let field, let value = ByteText.parseDouble(line[field]) else {
                    tables.malformedLines += 1
                    continue
                }
                tables.values.append((column, value))
            }
        }
        return tables
    }
}
