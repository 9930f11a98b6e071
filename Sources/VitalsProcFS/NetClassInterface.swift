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

    /// The attribute files of an interface that node_exporter reads, each named for the property
    /// it sets.
    public enum Attribute: String, CaseIterable, Sendable {
        case addrAssignType = "addr_assign_type"
        case address = "address"
        case broadcast = "broadcast"
        case carrier = "carrier"
        case carrierChanges = "carrier_changes"
        case carrierUpCount = "carrier_up_count"
        case carrierDownCount = "carrier_down_count"
        case devID = "dev_id"
        case dormant = "dormant"
        case duplex = "duplex"
        case flags = "flags"
        case ifAlias = "ifalias"
        case ifIndex = "ifindex"
        case ifLink = "iflink"
        case linkMode = "link_mode"
        case mtu = "mtu"
        case nameAssignType = "name_assign_type"
        case netDevGroup = "netdev_group"
        case operState = "operstate"
        case speed = "speed"
        case txQueueLen = "tx_queue_len"
        case `type` = "type"
    }

    /// The attribute files, in ``Attribute`` order.
    public static let attributes = Attribute.allCases.map(\.rawValue)
    static let attributeCases = Attribute.allCases

    /// Stores one attribute read from its file.
    public mutating func set(_ attribute: Attribute, _ value: String) {
        switch attribute {
        case .addrAssignType: addrAssignType = ByteText.parseInteger(value)
        case .address: address = value
        case .broadcast: broadcast = value
        case .carrier: carrier = ByteText.parseInteger(value)
        case .carrierChanges: carrierChanges = ByteText.parseInteger(value)
        case .carrierUpCount: carrierUpCount = ByteText.parseInteger(value)
        case .carrierDownCount: carrierDownCount = ByteText.parseInteger(value)
        case .devID: devID = ByteText.parseInteger(value)
        case .dormant: dormant = ByteText.parseInteger(value)
        case .duplex: duplex = value
        case .flags: flags = ByteText.parseInteger(value)
        case .ifAlias: ifAlias = value
        case .ifIndex: ifIndex = ByteText.parseInteger(value)
        case .ifLink: ifLink = ByteText.parseInteger(value)
        case .linkMode: linkMode = ByteText.parseInteger(value)
        case .mtu: mtu = ByteText.parseInteger(value)
        case .nameAssignType: nameAssignType = ByteText.parseInteger(value)
        case .netDevGroup: netDevGroup = ByteText.parseInteger(value)
        case .operState: operState = value
        case .speed: speed = ByteText.parseInteger(value)
        case .txQueueLen: txQueueLen = ByteText.parseInteger(value)
        case .`type`: type = ByteText.parseInteger(value)
        }
    }
}
