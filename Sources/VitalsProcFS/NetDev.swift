/// `/proc/net/dev`: traffic counters per network interface.
public struct NetDev: Sendable, Hashable {
    /// The 16 counters of one interface, in the kernel's column order.
    public struct Interface: Sendable, Hashable {
        public var name: String
        public var receiveBytes: UInt64
        public var receivePackets: UInt64
        public var receiveErrors: UInt64
        public var receiveDropped: UInt64
        public var receiveFIFO: UInt64
        public var receiveFrame: UInt64
        public var receiveCompressed: UInt64
        public var receiveMulticast: UInt64
        public var transmitBytes: UInt64
        public var transmitPackets: UInt64
        public var transmitErrors: UInt64
        public var transmitDropped: UInt64
        public var transmitFIFO: UInt64
        public var transmitCollisions: UInt64
        public var transmitCarrier: UInt64
        public var transmitCompressed: UInt64
    }

    public var interfaces: [Interface] = []
    public var malformedLines = 0

    public init() {}

    public static func parse(_ bytes: [UInt8]) -> NetDev {
        var result = NetDev()
        var lineNumber = 0
        ByteText.forEachLine(bytes) { line in
            lineNumber += 1
            if lineNumber <= 2 { return }  // two header lines
            guard let colon = line.lastIndex(of: UInt8(ascii: ":")) else {
                if !ByteText.fields(line).isEmpty { result.malformedLines += 1 }
                return
            }
            let name = ByteText.trimmedString(line[line.startIndex..<colon])
            let fields = ByteText.fields(line[(colon + 1)...])
            let values = fields.compactMap(ByteText.parseUInt64)
            guard !name.isEmpty, fields.count == 16, values.count == 16 else {
                result.malformedLines += 1
                return
            }
            result.interfaces.append(
                Interface(
                    name: name, receiveBytes: values[0], receivePackets: values[1], receiveErrors: values[2],
                    receiveDropped: values[3], receiveFIFO: values[4], receiveFrame: values[5],
                    receiveCompressed: values[6], receiveMulticast: values[7], transmitBytes: values[8],
                    transmitPackets: values[9], transmitErrors: values[10], transmitDropped: values[11],
                    transmitFIFO: values[12], transmitCollisions: values[13], transmitCarrier: values[14],
                    transmitCompressed: values[15]))
        }
        return result
    }
}
