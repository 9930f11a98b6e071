/// One D-Bus message: the parts of the header Vitals needs, and the body.
///
/// Only little-endian messages are written; both byte orders are read.
public struct DBusMessage: Sendable {
    public enum Kind: UInt8, Sendable {
        case methodCall = 1
        case methodReturn = 2
        case error = 3
        case signal = 4
    }

    public var kind: Kind
    public var serial: UInt32
    public var replySerial: UInt32?
    public var errorName: String?
    public var body: [DBusValue]

    /// A method call with string arguments (all Vitals sends).
    public static func methodCall(
        serial: UInt32, destination: String?, path: String, interface: String, member: String, arguments: [String] = []
    ) -> [UInt8] {
        var fields = DBusWriter()
        func field(_ code: UInt8, _ signature: String, _ write: (inout DBusWriter) -> Void) {
            fields.align(8)
            fields.byte(code)
            fields.signature(signature)
            write(&fields)
        }
        field(1, "o") { $0.string(path) }
        field(2, "s") { $0.string(interface) }
        field(3, "s") { $0.string(member) }
        if let destination { field(6, "s") { $0.string(destination) } }
        if !arguments.isEmpty { field(8, "g") { $0.signature(String(repeating: "s", count: arguments.count)) } }

        var body = DBusWriter()
        for argument in arguments { body.string(argument) }

        var message = DBusWriter()
        message.byte(UInt8(ascii: "l"))
        message.byte(Kind.methodCall.rawValue)
        message.byte(0)
        message.byte(1)
        message.uint32(UInt32(body.bytes.count))
        message.uint32(serial)
        message.uint32(UInt32(fields.bytes.count))
        // The header fields array starts at offset 16, already 8-aligned, so its bytes copy as they are.
        message.bytes += fields.bytes
        message.align(8)
        message.bytes += body.bytes
        return message.bytes
    }

    /// The total length of a message whose first 16 bytes are `prefix`.
    static func totalLength(prefix: [UInt8]) throws(DBusError) -> Int {
        guard prefix.count >= 16 else { throw DBusError("short D-Bus message header") }
        let little = prefix[0] == UInt8(ascii: "l")
        guard little || prefix[0] == UInt8(ascii: "B") else {
            throw DBusError("bad D-Bus byte order mark \(prefix[0])")
        }
        func word(_ offset: Int) -> Int {
            let bytes = prefix[offset..<(offset + 4)].map(UInt32.init)
            return Int(
                little
                    ? bytes[0] | bytes[1] << 8 | bytes[2] << 16 | bytes[3] << 24
                    : bytes[3] | bytes[2] << 8 | bytes[1] << 16 | bytes[0] << 24)
        }
        let bodyLength = word(4)
        let fieldsLength = word(12)
        let headerLength = (16 + fieldsLength + 7) & ~7
        let total = headerLength + bodyLength
        guard total <= 128 * 1024 * 1024 else { throw DBusError("D-Bus message of \(total) bytes is too large") }
        return total
    }

    /// Parses a complete message.
    static func parse(_ bytes: [UInt8]) throws(DBusError) -> DBusMessage {
        var reader = DBusReader(bytes: bytes, littleEndian: bytes.first == UInt8(ascii: "l"))
        _ = try reader.byte()
        guard let kind = Kind(rawValue: try reader.byte()) else { throw DBusError("unknown D-Bus message type") }
        _ = try reader.byte()
        _ = try reader.byte()
        let bodyLength = Int(try reader.uint32())
        let serial = try reader.uint32()
        let fields = try reader.value(signature: "a(yv)")
        var message = DBusMessage(kind: kind, serial: serial, replySerial: nil, errorName: nil, body: [])
        var signature = ""
        for field in fields.elements ?? [] {
            guard let parts = field.elements, parts.count == 2, case .byte(let code) = parts[0] else { continue }
            switch code {
            case 4: message.errorName = parts[1].text
            case 5: message.replySerial = parts[1].integer.map(UInt32.init)
            case 8: signature = parts[1].text ?? ""
            default: break
            }
        }
        reader.align(8)
        guard reader.offset + bodyLength <= bytes.count else { throw DBusError("truncated D-Bus message body") }
        var types = Substring(signature)
        while !types.isEmpty {
            let single = try DBusReader.nextType(&types)
            message.body.append(try reader.value(signature: single))
        }
        return message
    }
}

/// Marshals values in little-endian order.
struct DBusWriter {
    var bytes: [UInt8] = []

    mutating func align(_ boundary: Int) {
        while bytes.count % boundary != 0 { bytes.append(0) }
    }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func uint32(_ value: UInt32) {
        align(4)
        bytes += [UInt8(value & 0xff), UInt8(value >> 8 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 24)]
    }

    mutating func string(_ text: String) {
        uint32(UInt32(text.utf8.count))
        bytes += text.utf8
        bytes.append(0)
    }

    mutating func signature(_ text: String) {
        bytes.append(UInt8(text.utf8.count))
        bytes += text.utf8
        bytes.append(0)
    }
}

/// Unmarshals values of any signature.
struct DBusReader {
    let bytes: [UInt8]
    let littleEndian: Bool
    var offset = 0

    init(bytes: [UInt8], littleEndian: Bool) {
        self.bytes = bytes
        self.littleEndian = littleEndian
    }

    mutating func align(_ boundary: Int) {
        offset = (offset + boundary - 1) / boundary * boundary
    }

    mutating func take(_ count: Int) throws(DBusError) -> ArraySlice<UInt8> {
        guard count >= 0, offset + count <= bytes.count else { throw DBusError("truncated D-Bus message") }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    mutating func byte() throws(DBusError) -> UInt8 { try take(1).first! }

    mutating func unsigned(_ size: Int) throws(DBusError) -> UInt64 {
        align(size)
        let slice = try take(size)
        var value: UInt64 = 0
        for (index, byte) in (littleEndian ? Array(slice) : slice.reversed()).enumerated() {
            value |= UInt64(byte) << (8 * index)
        }
        return value
    }

    mutating func uint32() throws(DBusError) -> UInt32 { UInt32(try unsigned(4)) }

    mutating func text(lengthSize: Int) throws(DBusError) -> String {
        let length = lengthSize == 1 ? Int(try byte()) : Int(try uint32())
        let content = try take(length)
        _ = try take(1)  // the terminating NUL
        return String(decoding: content, as: UTF8.self)
    }

    /// Splits off the first complete type of a signature.
    static func nextType(_ signature: inout Substring) throws(DBusError) -> Substring {
        guard let first = signature.first else { throw DBusError("empty D-Bus signature") }
        switch first {
        case "a":
            signature = signature.dropFirst()
            let element = try nextType(&signature)
            return "a" + element
        case "(", "{":
            let close: Character = first == "(" ? ")" : "}"
            var depth = 0
            var index = signature.startIndex
            while index < signature.endIndex {
                let character = signature[index]
                if character == "(" || character == "{" { depth += 1 }
                if character == ")" || character == "}" { depth -= 1 }
                if depth == 0 {
                    guard character == close else { throw DBusError("unbalanced D-Bus signature") }
                    let type = signature[signature.startIndex...index]
                    signature = signature[signature.index(after: index)...]
                    return type
                }
                index = signature.index(after: index)
            }
            throw DBusError("unbalanced D-Bus signature")
        default:
            signature = signature.dropFirst()
            return Substring(String(first))
        }
    }

    static func alignment(of type: Character) -> Int {
        switch type {
        case "y", "g", "v": 1
        case "n", "q": 2
        case "b", "i", "u", "s", "o", "a", "h": 4
        default: 8  // x t d ( {
        }
    }

    mutating func value(signature: Substring) throws(DBusError) -> DBusValue {
        guard let first = signature.first else { throw DBusError("empty D-Bus signature") }
        switch first {
        case "y": return .byte(try byte())
        case "b": return .boolean(try unsigned(4) != 0)
        case "n": return .int16(Int16(bitPattern: UInt16(try unsigned(2))))
        case "q": return .uint16(UInt16(try unsigned(2)))
        case "i": return .int32(Int32(bitPattern: UInt32(try unsigned(4))))
        case "u": return .uint32(UInt32(try unsigned(4)))
        case "h": return .unixFD(UInt32(try unsigned(4)))
        case "x": return .int64(Int64(bitPattern: try unsigned(8)))
        case "t": return .uint64(try unsigned(8))
        case "d": return .double(Double(bitPattern: try unsigned(8)))
        case "s": return .string(try text(lengthSize: 4))
        case "o": return .objectPath(try text(lengthSize: 4))
        case "g": return .signature(try text(lengthSize: 1))
        case "v":
            let inner = try text(lengthSize: 1)
            return .variant(try value(signature: Substring(inner)))
        case "a":
            let element = signature.dropFirst()
            let length = Int(try uint32())
            align(Self.alignment(of: element.first ?? "y"))
            let end = offset + length
            guard end <= bytes.count else { throw DBusError("truncated D-Bus array") }
            var items: [DBusValue] = []
            while offset < end { items.append(try value(signature: element)) }
            return .array(items)
        case "(", "{":
            align(8)
            var inner = signature.dropFirst().dropLast()
            var members: [DBusValue] = []
            while !inner.isEmpty {
                let type = try Self.nextType(&inner)
                members.append(try value(signature: type))
            }
            if first == "{", members.count == 2 { return .dictEntry(members[0], members[1]) }
            return .structure(members)
        default:
            throw DBusError("unsupported D-Bus type \(first)")
        }
    }
}
