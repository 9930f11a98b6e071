/// Reads JSON (RFC 8259) into a `JSONNode`, without Foundation: the exporter reads container
/// engines' state files with it, and `vitals` the Docker Engine API's answers.
///
/// Input is untrusted (a socket, a file another program wrote), so nesting and size are bounded
/// and every error says where it is and what was expected.
public struct JSONReader {
    /// The deepest nesting accepted; engine documents nest a handful of levels.
    public var maximumDepth = 64

    public init() {}

    public func read(_ text: String) throws(JSONReadError) -> JSONNode {
        try read(Array(text.utf8))
    }

    public func read(_ bytes: [UInt8]) throws(JSONReadError) -> JSONNode {
        var cursor = Cursor(bytes: bytes, maximumDepth: maximumDepth)
        cursor.skipSpace()
        let value = try cursor.value(depth: 0)
        cursor.skipSpace()
        guard cursor.atEnd else { throw cursor.error("end of the document") }
        return value
    }

    private struct Cursor {
        let bytes: [UInt8]
        let maximumDepth: Int
        var offset = 0

        var atEnd: Bool { offset >= bytes.count }

        func error(_ expected: String) -> JSONReadError {
            JSONReadError(offset: offset, expected: expected, found: atEnd ? nil : bytes[offset])
        }

        mutating func skipSpace() {
            while offset < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[offset]) { offset += 1 }
        }

        mutating func value(depth: Int) throws(JSONReadError) -> JSONNode {
            guard !atEnd else { throw error("a value") }
            guard depth < maximumDepth else { throw error("at most \(maximumDepth) levels of nesting") }
            switch bytes[offset] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .boolean(true))
            case UInt8(ascii: "f"): return try literal("false", .boolean(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw error("a value")
            }
        }

        mutating func literal(_ word: String, _ node: JSONNode) throws(JSONReadError) -> JSONNode {
            for byte in word.utf8 {
                guard !atEnd, bytes[offset] == byte else { throw error("\"\(word)\"") }
                offset += 1
            }
            return node
        }

        mutating func object(depth: Int) throws(JSONReadError) -> JSONNode {
            offset += 1
            var entries: [String: JSONNode] = [:]
            skipSpace()
            if !atEnd, bytes[offset] == UInt8(ascii: "}") {
                offset += 1
                return .object(entries)
            }
            while true {
                skipSpace()
                guard !atEnd, bytes[offset] == UInt8(ascii: "\"") else { throw error("a member name in quotes") }
                let key = try string()
                skipSpace()
                guard !atEnd, bytes[offset] == UInt8(ascii: ":") else { throw error("\":\" after a member name") }
                offset += 1
                skipSpace()
                entries[key] = try value(depth: depth + 1)
                skipSpace()
                guard !atEnd else { throw error("\",\" or \"}\"") }
                if bytes[offset] == UInt8(ascii: ",") {
                    offset += 1
                } else if bytes[offset] == UInt8(ascii: "}") {
                    offset += 1
                    return .object(entries)
                } else {
                    throw error("\",\" or \"}\"")
                }
            }
        }

        mutating func array(depth: Int) throws(JSONReadError) -> JSONNode {
            offset += 1
            var items: [JSONNode] = []
            skipSpace()
            if !atEnd, bytes[offset] == UInt8(ascii: "]") {
                offset += 1
                return .array(items)
            }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard !atEnd else { throw error("\",\" or \"]\"") }
                if bytes[offset] == UInt8(ascii: ",") {
                    offset += 1
                } else if bytes[offset] == UInt8(ascii: "]") {
                    offset += 1
                    return .array(items)
                } else {
                    throw error("\",\" or \"]\"")
                }
            }
        }

        mutating func string() throws(JSONReadError) -> String {
            offset += 1
            var scalars = String.UnicodeScalarView()
            var runStart = offset
            func flush(_ end: Int) {
                if end > runStart {
                    scalars.append(contentsOf: String(decoding: bytes[runStart..<end], as: UTF8.self).unicodeScalars)
                }
            }
            while true {
                guard !atEnd else { throw error("the closing quote of a string") }
                let byte = bytes[offset]
                if byte == UInt8(ascii: "\"") {
                    flush(offset)
                    offset += 1
                    return String(scalars)
                }
                if byte < 0x20 { throw error("no control character inside a string (escape it)") }
                if byte != UInt8(ascii: "\\") {
                    offset += 1
                    continue
                }
                flush(offset)
                offset += 1
                guard !atEnd else { throw error("an escape after \\") }
                let escape = bytes[offset]
                offset += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var unit = try hex4()
                    if (0xD800...0xDBFF).contains(unit) {
                        // A high surrogate pairs with the low one that must follow.
                        if offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"),
                            bytes[offset + 1] == UInt8(ascii: "u")
                        {
                            offset += 2
                            let low = try hex4()
                            if (0xDC00...0xDFFF).contains(low) {
                                unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                scalars.append("\u{FFFD}")
                                unit = low
                            }
                        }
                    }
                    scalars.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
                default:
                    offset -= 1
                    throw error("one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
                }
                runStart = offset
            }
        }

        mutating func hex4() throws(JSONReadError) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard !atEnd, let digit = Self.hexDigit(bytes[offset]) else { throw error("four hex digits after \\u") }
                value = value << 4 | digit
                offset += 1
            }
            return value
        }

        static func hexDigit(_ byte: UInt8) -> UInt32? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
            default: nil
            }
        }

        mutating func number() throws(JSONReadError) -> JSONNode {
            let start = offset
            var integral = true
            if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            if !atEnd, bytes[offset] == UInt8(ascii: "0") {
                offset += 1  // RFC 8259: no leading zeros, so "01" ends after the 0.
            } else {
                guard try digits() > 0 else { throw error("a digit") }
            }
            if !atEnd, bytes[offset] == UInt8(ascii: ".") {
                integral = false
                offset += 1
                guard try digits() > 0 else { throw error("a digit after the decimal point") }
            }
            if !atEnd, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
                integral = false
                offset += 1
                if !atEnd, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
                guard try digits() > 0 else { throw error("a digit in the exponent") }
            }
            let text = String(decoding: bytes[start..<offset], as: UTF8.self)
            if integral, let value = Int(text) { return .integer(value) }
            // Found by fuzz-json: 1E+999 reads as infinity, which no JSON text can hold.
            guard let value = Double(text), value.isFinite else {
                offset = start
                throw error("a number within the range of a 64-bit float")
            }
            return .number(value)
        }

        mutating func digits() throws(JSONReadError) -> Int {
            let start = offset
            while !atEnd, bytes[offset] >= UInt8(ascii: "0"), bytes[offset] <= UInt8(ascii: "9") { offset += 1 }
            return offset - start
        }
    }
}

/// Why a JSON document could not be read: where, and what was expected there.
public struct JSONReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The byte offset from the start of the document.
    public var offset: Int
    public var expected: String
    /// The byte found instead, or nil at the end of the input.
    public var found: UInt8?

    public init(offset: Int, expected: String, found: UInt8?) {
        self.offset = offset
        self.expected = expected
        self.found = found
    }

    public var description: String {
        let what =
            switch found {
            case nil: "the end of the input"
            case let byte? where byte >= 0x20 && byte < 0x7F: "\"\(Character(Unicode.Scalar(byte)))\""
            case let byte?: "byte 0x\(String(byte, radix: 16))"
            }
        return "at byte \(offset): expected \(expected), found \(what)"
    }
}

extension JSONNode {
    /// The text of a string value, or nil.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// An integer value (also a number with no fraction), or nil.
    public var integerValue: Int? {
        switch self {
        case .integer(let value): value
        case .number(let value) where value.rounded() == value && abs(value) < 9e18: Int(value)
        default: nil
        }
    }

    public var boolValue: Bool? {
        if case .boolean(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONNode]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var objectValue: [String: JSONNode]? {
        if case .object(let entries) = self { return entries }
        return nil
    }
}
