/// /proc/interrupts: counts per interrupt and CPU.
public struct Interrupts: Sendable, Hashable {
    public struct Interrupt: Sendable, Hashable {
        public var name: String
        public var info: String
        public var devices: String
        /// One count per CPU column, as written.
        public var values: [String]
    }

    public var interrupts: [Interrupt] = []
    public var malformedLines = 0

    public init() {}

    public static func parse(_ bytes: [UInt8], file: String = "/proc/interrupts") throws(ProcParseError) -> Interrupts {
        var result = Interrupts()
        var cpuCount: Int?
        ByteText.forEachLine(bytes) { line in
            guard let cpus = cpuCount else {
                cpuCount = ByteText.fields(line).count
                return
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                if !ByteText.fields(line).isEmpty { result.malformedLines += 1 }
                return
            }
            let parts = ByteText.fields(line[(colon + 1)...])
            // ERR and MIS have a single count: not per CPU, skipped as node_exporter does.
            guard parts.count >= cpus + 1 else { return }
            let name = ByteText.trimmedString(line[line.startIndex..<colon])
            let values = parts[0..<cpus].map(ByteText.string)
            let rest = parts[cpus...].map(ByteText.string)
            if Int(name) != nil {
                result.interrupts.append(
                    Interrupt(
                        name: name, info: rest[0], devices: rest.dropFirst().joined(separator: " "), values: values))
            } else {
                result.interrupts.append(
                    Interrupt(name: name, info: rest.joined(separator: " "), devices: "", values: values))
            }
        }
        guard cpuCount != nil else { throw ProcParseError(file: file, message: "empty file") }
        return result
    }
}
