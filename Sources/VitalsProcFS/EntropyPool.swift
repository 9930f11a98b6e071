/// /proc/sys/kernel/random: the bits of entropy available and the pool's size.
public struct EntropyPool: Sendable, Hashable {
    public var availableBits: Double
    public var poolSizeBits: Double

    public init(availableBits: Double, poolSizeBits: Double) {
        self.availableBits = availableBits
        self.poolSizeBits = poolSizeBits
    }

    /// One value file of the directory, such as `entropy_avail`: a number and a newline.
    public static func parseValue(_ text: String, file: String) throws(ProcParseError) -> Double {
        guard let value = Double(text) else { throw ProcParseError(file: file, message: "not a number: \"\(text)\"") }
        return value
    }
}
