/// /proc/net/udp and udp6: the socket table, summed into queued bytes.
public struct SocketQueueSummary: Sendable, Hashable {
    public var transmitQueueBytes: UInt64 = 0
    public var receiveQueueBytes: UInt64 = 0
    public var sockets = 0
    public var malformedLines = 0

    public init() {}

    public static func parse(_ bytes: [UInt8]) -> SocketQueueSummary {
        var summary = SocketQueueSummary()
        var first = true
        ByteText.forEachLine(bytes) { line in
            if first {
                first = false
                return  // header
            }
            let fields = ByteText.fields(line)
            if fields.isEmpty { return }
            // sl local_address rem_address st tx_queue:rx_queue ...
            guard fields.count >= 5, let colon = fields[4].firstIndex(of: UInt8(ascii: ":")),
                let transmit = UInt64(ByteText.string(fields[4][fields[4].startIndex..<colon]), radix: 16),
                let receive = UInt64(ByteText.string(fields[4][(colon + 1)...]), radix: 16)
            else {
                summary.malformedLines += 1
                return
            }
            summary.transmitQueueBytes &+= transmit
            summary.receiveQueueBytes &+= receive
            summary.sockets += 1
        }
        return summary
    }
}
