/// Small, allocation-light helpers for reading the whitespace-separated text of kernel files.
public enum ByteText {
    /// Calls `body` with each line (without its newline); the last line may lack one.
    @inlinable
    public static func forEachLine(
        _ bytes: [UInt8], _ body: (ArraySlice<UInt8>) throws -> Void
    ) rethrows {
        var start = bytes.startIndex
        let end = bytes.endIndex
        while start < end {
            var lineEnd = start
            while lineEnd < end, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            try body(bytes[start..<lineEnd])
            start = lineEnd + 1
        }
    }

    /// Splits text on runs of whitespace (spaces, tabs and newlines).
    @inlinable
    public static func fields(_ line: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        result.reserveCapacity(20)
        var index = line.startIndex
        let end = line.endIndex
        while index < end {
            while index < end, isBlank(line[index]) || line[index] == 0x0A { index += 1 }
            guard index < end else { break }
            let start = index
            while index < end, !isBlank(line[index]), line[index] != 0x0A { index += 1 }
            result.append(line[start..<index])
        }
        return result
    }

    /// The next whitespace-separated field of `line` at or after `cursor`, as a range of indices,
    /// with `cursor` moved past it; nil when none is left. Unlike ``fields(_:)`` it builds no array,
    /// for the hot parsers that look at a line's first few fields.
    @inlinable
    public static func nextField(_ line: ArraySlice<UInt8>, from cursor: inout Int) -> Range<Int>? {
        let end = line.endIndex
        var index = cursor
        while index < end, isBlank(line[index]) || line[index] == 0x0A { index += 1 }
        guard index < end else {
            cursor = end
            return nil
        }
        let start = index
        while index < end, !isBlank(line[index]), line[index] != 0x0A { index += 1 }
        cursor = index
        return start..<index
    }

    @inlinable
    public static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    /// Parses an unsigned decimal integer; nil on anything else.
    @inlinable
    public static func parseUInt64(_ field: ArraySlice<UInt8>) -> UInt64? {
        guard !field.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in field {
            guard byte >= 48, byte <= 57 else { return nil }
            let (multiplied, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = multiplied.addingReportingOverflow(UInt64(byte - 48))
            guard !overflow1, !overflow2 else { return nil }
            value = added
        }
        return value
    }

    /// Parses a signed decimal integer; nil on anything else.
    @inlinable
    public static func parseInt64(_ field: ArraySlice<UInt8>) -> Int64? {
        guard let first = field.first else { return nil }
        if first == UInt8(ascii: "-") {
            guard let magnitude = parseUInt64(field.dropFirst()), magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        let digits = first == UInt8(ascii: "+") ? field.dropFirst() : field
        guard let magnitude = parseUInt64(digits), magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// Parses a decimal or e-notation number.
    @inlinable
    public static func parseDouble(_ field: ArraySlice<UInt8>) -> Double? {
        if let integer = parseUInt64(field), integer < (1 << 53) { return Double(integer) }
        guard let first = field.first,
            (first >= 48 && first <= 57) || first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
                || first == UInt8(ascii: ".")
        else { return nil }
        return Double(string(field))
    }

    /// Parses an integer with Go's base-0 prefixes (`0x`, `0o`, `0b`, leading `0` for octal).
    public static func parseInteger(_ text: String) -> Int64? {
        // Almost every sysfs value is a plain decimal; read it without building substrings.
        if let plain = parsePlainDecimal(text) { return plain }
        var body = Substring(text)
        var negative = false
        if body.hasPrefix("-") {
            negative = true
            body = body.dropFirst()
        } else if body.hasPrefix("+") {
            body = body.dropFirst()
        }
        var radix = 10
        if body.hasPrefix("0x") || body.hasPrefix("0X") {
            radix = 16
            body = body.dropFirst(2)
        } else if body.hasPrefix("0b") || body.hasPrefix("0B") {
            radix = 2
            body = body.dropFirst(2)
        } else if body.hasPrefix("0o") || body.hasPrefix("0O") {
            radix = 8
            body = body.dropFirst(2)
        } else if body.count > 1, body.hasPrefix("0") {
            radix = 8
            body = body.dropFirst()
        }
        body = Substring(body.filter { $0 != "_" })
        guard !body.isEmpty, let magnitude = Int64(body, radix: radix) else { return nil }
        return negative ? -magnitude : magnitude
    }

    /// A plain decimal (`42`, `-1`, `0`): no sign but `-`, no prefix, no leading zero, no `_`;
    /// nil for anything else, which ``parseInteger(_:)`` then reads the slow way.
    @usableFromInline
    static func parsePlainDecimal(_ text: String) -> Int64? {
        var utf8 = text.utf8.makeIterator()
        guard var byte = utf8.next() else { return nil }
        let negative = byte == UInt8(ascii: "-")
        if negative {
            guard let next = utf8.next() else { return nil }
            byte = next
        }
        guard byte >= UInt8(ascii: "1"), byte <= UInt8(ascii: "9") else {
            return byte == UInt8(ascii: "0") && !negative && utf8.next() == nil ? 0 : nil
        }
        var magnitude = Int64(byte - UInt8(ascii: "0"))
        while let digit = utf8.next() {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            let (multiplied, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = multiplied.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
            guard !overflow, !overflow2 else { return nil }
            magnitude = added
        }
        return negative ? -magnitude : magnitude
    }

    /// Makes a String from bytes.
    @inlinable
    public static func string(_ field: ArraySlice<UInt8>) -> String {
        field.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    /// Makes a String from bytes with surrounding whitespace (including newlines) removed.
    public static func trimmedString(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var start = 0
        var end = bytes.count
        while start < end, isBlank(bytes[start]) || bytes[start] == 0x0A { start += 1 }
        while end > start, isBlank(bytes[end - 1]) || bytes[end - 1] == 0x0A || bytes[end - 1] == 0 { end -= 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// Makes a String from bytes with surrounding whitespace removed.
    public static func trimmedString(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.withUnsafeBufferPointer { trimmedString($0) }
    }

    /// Whether the slice starts with the ASCII `prefix`.
    @inlinable
    public static func hasPrefix(_ field: ArraySlice<UInt8>, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard field.count >= count else { return false }
        let pointer = prefix.utf8Start
        var index = field.startIndex
        for offset in 0..<count {
            if field[index] != pointer[offset] { return false }
            index += 1
        }
        return true
    }

    /// Whether the slice equals the ASCII `text`.
    @inlinable
    public static func equals(_ field: ArraySlice<UInt8>, _ text: StaticString) -> Bool {
        field.count == text.utf8CodeUnitCount && hasPrefix(field, text)
    }
}
