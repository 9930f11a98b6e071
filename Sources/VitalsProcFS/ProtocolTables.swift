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
            let values = ByteText.fields(line)
            for (index, column) in picked {
                guard index < values.count, let value = ByteText.parseDouble(values[index]) else {
                    tables.malformedLines += 1
                    continue
                }
                tables.values.append((column, value))
            }
        }
        return tables
    }
}
