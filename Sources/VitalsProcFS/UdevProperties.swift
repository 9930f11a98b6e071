/// The `E:KEY=VALUE` device properties of a udev database file (`/run/udev/data/b<major>:<minor>`).
public struct UdevProperties: Sendable, Hashable {
    public var values: [String: String] = [:]

    public init() {}

    public subscript(key: String) -> String? { values[key] }

    public static func parse(_ bytes: [UInt8]) -> UdevProperties {
        var properties = UdevProperties()
        ByteText.forEachLine(bytes) { line in
            guard ByteText.hasPrefix(line, "E:") else { return }
            let body = line.dropFirst(2)
            guard let equals = body.firstIndex(of: UInt8(ascii: "=")) else { return }
            properties.values[ByteText.string(body[body.startIndex..<equals])] = ByteText.string(body[(equals + 1)...])
        }
        return properties
    }
}
