/// The attributes of `/sys/class/net/<iface>` that node_exporter's netclass collector reads.
/// A nil value means the kernel or driver does not offer that attribute.
public struct NetClassInterface: Sendable, Hashable {
    public var name: String
    public var addrAssignType: Int64?
    public var address = ""
    public var broadcast = ""
    public var carrier: Int64?
    public var carrierChanges: Int64?
    public var carrierUpCount: Int64?
    public var carrierDownCount: Int64?
    public var devID: Int64?
    public var dormant: Int64?
    public var duplex = ""
    public var flags: Int64?
    public var ifAlias = ""
    public var ifIndex: Int64?
    public var ifLink: Int64?
    public var linkMode: Int64?
    public var mtu: Int64?
    public var nameAssignType: Int64?
    public var netDevGroup: Int64?
    public var operState = ""
    public var speed: Int64?
    public var txQueueLen: Int64?
    public var type: Int64?

    public init(name: String) {
        self.name = name
    }

    /// The attribute files ``set(_:_:)`` understands.
    public static let attributes = [
        "addr_assign_type", "address", "broadcast", "carrier", "carrier_changes", "carrier_up_count",
        "carrier_down_count", "dev_id", "dormant", "duplex", "flags", "ifalias", "ifindex", "iflink", "link_mode",
        "mtu", "name_assign_type", "netdev_group", "operstate", "speed", "tx_queue_len", "type",
    ]

    /// Stores one attribute read from its file; unknown attributes are ignored.
    public mutating func set(_ attribute: String, _ value: String) {
        switch attribute {
        case "addr_assign_type": addrAssignType = ByteText.parseInteger(value)
        case "address": address = value
        case "broadcast": broadcast = value
        case "carrier": carrier = ByteText.parseInteger(value)
        case "carrier_changes": carrierChanges = ByteText.parseInteger(value)
        case "carrier_up_count": carrierUpCount = ByteText.parseInteger(value)
        case "carrier_down_count": carrierDownCount = ByteText.parseInteger(value)
        case "dev_id": devID = ByteText.parseInteger(value)
        case "dormant": dormant = ByteText.parseInteger(value)
        case "duplex": duplex = value
        case "flags": flags = ByteText.parseInteger(value)
        case "ifalias": ifAlias = value
        case "ifindex": ifIndex = ByteText.parseInteger(value)
        case "iflink": ifLink = ByteText.parseInteger(value)
        case "link_mode": linkMode = ByteText.parseInteger(value)
        case "mtu": mtu = ByteText.parseInteger(value)
        case "name_assign_type": nameAssignType = ByteText.parseInteger(value)
        case "netdev_group": netDevGroup = ByteText.parseInteger(value)
        case "operstate": operState = value
        case "speed": speed = ByteText.parseInteger(value)
        case "tx_queue_len": txQueueLen = ByteText.parseInteger(value)
        case "type": type = ByteText.parseInteger(value)
        default: break
        }
    }
}
