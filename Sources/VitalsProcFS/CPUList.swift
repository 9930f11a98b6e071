/// The kernel's CPU list syntax: `0-3,8,10-11`.
public enum CPUList {
    /// Above the kernel's largest `CONFIG_NR_CPUS` (8192), so no real list is refused, while a
    /// corrupt range such as `0-99999999999` is an error rather than an allocation of terabytes.
    public static let maximumCPUs = 1 << 16

    public static func parse(_ text: String) throws(ProcParseError) -> [Int] {
        var result: [Int] = []
        let trimmed = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined()
        for part in trimmed.split(separator: ",") where !part.isEmpty {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            let range: ClosedRange<Int>
            if bounds.count == 1, let single = Int(bounds[0]) {
                range = single...single
            } else if bounds.count == 2, let low = Int(bounds[0]), let high = Int(bounds[1]), low <= high {
                range = low...high
            } else {
                throw ProcParseError(file: "cpu list", message: "invalid CPU range \"\(part)\"")
            }
            guard range.upperBound < maximumCPUs, result.count + range.count <= maximumCPUs else {
                throw ProcParseError(
                    file: "cpu list", message: "CPU range \"\(part)\" is beyond \(maximumCPUs) CPUs")
            }
            result.append(contentsOf: range)
        }
        return result
    }
}
