/// `/proc/cpuinfo` on x86 and compatible layouts: one block of `key : value` lines per logical CPU.
public struct CPUInfo: Sendable, Hashable {
    public struct Processor: Sendable, Hashable {
        public var processor = 0
        public var vendorID = ""
        public var cpuFamily = ""
        public var model = ""
        public var modelName = ""
        public var stepping = ""
        public var microcode = ""
        public var cpuMHz = 0.0
        public var cacheSize = ""
        public var physicalID = ""
        public var coreID = ""
        public var flags: [String] = []
        public var bugs: [String] = []

        public init() {}
    }

    public var processors: [Processor] = []
    public var malformedLines = 0

    public init() {}

    public static func parse(_ bytes: [UInt8]) -> CPUInfo {
        var info = CPUInfo()
        var current: Processor?
        ByteText.forEachLine(bytes) { line in
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                if !ByteText.fields(line).isEmpty { info.malformedLines += 1 }
                return
            }
            let key = ByteText.trimmedString(line[line.startIndex..<colon])
            let value = ByteText.trimmedString(line[(colon + 1)...])
            if key == "processor" {
                if let finished = current { info.processors.append(finished) }
                var next = Processor()
                guard let number = Int(value) else {
                    info.malformedLines += 1
                    current = nil
                    return
                }
                next.processor = number
                current = next
                return
            }
            guard current != nil else { return }
            switch key {
            case "vendor_id": current!.vendorID = value
            case "cpu family": current!.cpuFamily = value
            case "model": current!.model = value
            case "model name": current!.modelName = value
            case "stepping": current!.stepping = value
            case "microcode": current!.microcode = value
            case "cpu MHz": current!.cpuMHz = Double(value) ?? 0
            case "cache size": current!.cacheSize = value
            case "physical id": current!.physicalID = value
            case "core id": current!.coreID = value
            case "flags": current!.flags = value.split(separator: " ").map(String.init)
            case "bugs": current!.bugs = value.split(separator: " ").map(String.init)
            default: break
            }
        }
        if let finished = current { info.processors.append(finished) }
        return info
    }
}
