/// `/proc/loadavg`: the 1, 5 and 15 minute load averages.
public struct LoadAverage: Sendable, Hashable {
    public var load1: Double
    public var load5: Double
    public var load15: Double

    public init(load1: Double, load5: Double, load15: Double) {
        self.load1 = load1
        self.load5 = load5
        self.load15 = load15
    }

    public static func parse(_ bytes: [UInt8], file: String = "/proc/loadavg") throws(ProcParseError) -> LoadAverage {
        let fields = ByteText.fields(bytes[...])
        guard fields.count >= 3 else {
            throw ProcParseError(file: file, message: "expected at least 3 fields, found \(fields.count)")
        }
        var loads: [Double] = []
        for field in fields.prefix(3) {
            guard let value = ByteText.parseDouble(field) else {
                throw ProcParseError(file: file, message: "could not parse load \"\(ByteText.string(field))\"")
            }
            loads.append(value)
        }
        return LoadAverage(load1: loads[0], load5: loads[1], load15: loads[2])
    }
}
