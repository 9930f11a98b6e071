/// FNV-1a hashes of text as fixed-width hex: stable across runs and machines, unlike Swift's Hasher,
/// for identifiers and change detection in generated files (not for anything that must resist
/// forgery).
enum FNV1a {
    /// 32 bits, as 8 hex digits.
    static func hex32(_ text: String) -> String {
        hex(hash(text, offset: UInt32(0x811c_9dc5), prime: 0x0100_0193))
    }

    /// 64 bits, as 16 hex digits.
    static func hex64(_ text: String) -> String {
        hex(hash(text, offset: UInt64(0xcbf2_9ce4_8422_2325), prime: 0x0000_0100_0000_01b3))
    }

    private static func hash<Value: FixedWidthInteger & UnsignedInteger>(
        _ text: String, offset: Value, prime: Value
    ) -> Value {
        var value = offset
        for byte in text.utf8 {
            value ^= Value(byte)
            value = value &* prime
        }
        return value
    }

    private static func hex<Value: FixedWidthInteger>(_ value: Value) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: Value.bitWidth / 4 - digits.count) + digits
    }
}
