/// Fixed-bucket histogram of how late probes started against their schedule.
public struct LatenessHistogram: Sendable {
    public static let bounds: [Double] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5,
    ]
    public private(set) var counts = [Int](repeating: 0, count: LatenessHistogram.bounds.count + 1)
    public private(set) var sum = 0.0
    public private(set) var total = 0

    mutating func record(seconds: Double) {
        let value = max(0, seconds)
        let index = Self.bounds.firstIndex { value <= $0 } ?? Self.bounds.count
        counts[index] += 1
        sum += value
        total += 1
    }
}
