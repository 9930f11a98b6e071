/// `/proc/meminfo`: every field, in file order, with its value and whether it carried a unit.
public struct MemInfo: Sendable, Hashable {
    public struct Field: Sendable, Hashable {
        /// The key as the kernel spells it, without the colon (`Active(anon)`).
        public var name: String
        public var value: Double
        /// Whether the line had a unit (always kB); such values are in KiB.
        public var hasUnit: Bool

        public init(name: String, value: Double, hasUnit: Bool) {
            self.name = name
            self.value = value
            self.hasUnit = hasUnit
        }
    }

    public var fields: [Field] = []
    public var malformedLines = 0

    public init() {}

    /// The value of a field in bytes (kB fields multiplied by 1024), if present.
    public func bytes(_ name: String) -> Double? {
        guard let field = fields.first(where: { $0.name == name }) else { return nil }
        return field.hasUnit ? field.value * 1024 : field.value
    }

    public static func parse(_ bytes: [UInt8], file: String = "/proc/meminfo") throws(ProcParseError) -> MemInfo {
        var info = MemInfo()
        ByteText.forEachLine(bytes) { line in
            let parts = ByteText.fields(line)
            if parts.isEmpty { return }  // some kernels emit blank lines
            guard parts.count == 2 || parts.count == 3, let last = parts[0].last, last == UInt8(ascii: ":"),
                parts[0].count > 1, let value = ByteText.parseDouble(parts[1])
            else {
                info.malformedLines += 1
                return
            }
            info.fields.append(
                Field(name: ByteText.string(parts[0].dropLast()), value: value, hasUnit: parts.count == 3))
        }
        guard !info.fields.isEmpty else {
            throw ProcParseError(file: file, message: "no \"Key: value\" lines; expected the format of /proc/meminfo")
        }
        return info
    }
}
