/// A value read from a D-Bus message, typed as on the wire.
public indirect enum DBusValue: Sendable, Hashable {
    case byte(UInt8)
    case boolean(Bool)
    case int16(Int16)
    case uint16(UInt16)
    case int32(Int32)
    case uint32(UInt32)
    case int64(Int64)
    case uint64(UInt64)
    case double(Double)
    case string(String)
    case objectPath(String)
    case signature(String)
    case unixFD(UInt32)
    case array([DBusValue])
    case dictEntry(DBusValue, DBusValue)
    case structure([DBusValue])
    case variant(DBusValue)

    /// The value inside any number of variants.
    public var unwrapped: DBusValue {
        if case .variant(let inner) = self { return inner.unwrapped }
        return self
    }

    /// A string or object path.
    public var text: String? {
        switch unwrapped {
        case .string(let text), .objectPath(let text), .signature(let text): text
        default: nil
        }
    }

    /// Any unsigned or signed integer, widened.
    public var integer: UInt64? {
        switch unwrapped {
        case .byte(let value): UInt64(value)
        case .uint16(let value): UInt64(value)
        case .uint32(let value): UInt64(value)
        case .uint64(let value): value
        case .int16(let value): value >= 0 ? UInt64(value) : nil
        case .int32(let value): value >= 0 ? UInt64(value) : nil
        case .int64(let value): value >= 0 ? UInt64(value) : nil
        default: nil
        }
    }

    public var elements: [DBusValue]? {
        switch unwrapped {
        case .array(let items), .structure(let items): items
        default: nil
        }
    }
}

/// Why a D-Bus exchange failed, in words for the operator.
public struct DBusError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
