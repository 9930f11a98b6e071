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
        info.malformedLines = forEachField(bytes) { _, name, value, hasUnit in
            info.fields.append(Field(name: ByteText.string(name), value: value, hasUnit: hasUnit))
        }
        guard !info.fields.isEmpty else { throw noFields(file) }
        return info
    }

    /// Calls `body` with each well-formed line's position among them, its key (without the
    /// colon), its value and whether it had a unit; returns how many lines were malformed.
    @inlinable
    public static func forEachField(
        _ bytes: [UInt8],
        _ body: (_ position: Int, _ name: ArraySlice<UInt8>, _ value: Double, _ hasUnit: Bool) -> Void
    ) -> Int {
        var malformed = 0
        var position = 0
        ByteText.forEachLine(bytes) { line in
            var cursor = line.startIndex
            guard let key = ByteText.nextField(line, from: &cursor) else { return }  // some kernels emit blank lines
            let valueField = ByteText.nextField(line, from: &cursor)
            let unit = ByteText.nextField(line, from: &cursor)
            guard let valueField, ByteText.nextField(line, from: &cursor) == nil, key.count > 1,
                line[key.upperBound - 1] == UInt8(ascii: ":"), let value = ByteText.parseDouble(line[valueField])
            else {
                malformed += 1
                return
            }
            body(position, line[key.lowerBound..<(key.upperBound - 1)], value, unit != nil)
            position += 1
        }
        return malformed
    }

    /// The error for a file with no `Key: value` line at all.
    public static func noFields(_ file: String) -> ProcParseError {
        ProcParseError(file: file, message: "no \"Key: value\" lines; expected the format of /proc/meminfo")
    }
}
