import Testing
import VitalsTestSupport

@testable import VitalsProcFS

/// Every parser survives every prefix of a real file and a set of mangled variants: a bad line is
/// skipped or the file rejected with an error, never a crash or a hang.
@Suite struct RobustnessTests {
    static let files = [
        "proc/stat", "proc/meminfo", "proc/loadavg", "proc/diskstats", "proc/cpuinfo", "proc/self/stat",
    ]

    /// Each parser, as a throwing closure over bytes.
    static let parsers: [@Sendable ([UInt8]) throws -> Void] = [
        { _ = try KernelStat.parse($0) }, { _ = try MemInfo.parse($0) }, { _ = try LoadAverage.parse($0) },
        { _ = DiskStats.parse($0) }, { _ = CPUInfo.parse($0) }, { _ = NetDev.parse($0) },
        { _ = MountInfo.parse($0) }, { _ = try ProcessStat.parse($0) }, { _ = ProcessLimits.parse($0) },
        { _ = OSRelease.parse($0) }, { _ = UdevProperties.parse($0) },
        {
            var stats = NetlinkLinkStats()
            _ = stats.parse($0[...])
        },
    ]

    static func variants(of bytes: [UInt8]) -> [[UInt8]] {
        var result: [[UInt8]] = [[], [0], [0x0A], Array(repeating: 0xFF, count: 64)]
        let step = max(1, bytes.count / 97)
        for cut in stride(from: 0, through: bytes.count, by: step) { result.append(Array(bytes[..<cut])) }
        result.append(bytes.map { $0 == 0x20 ? 0x0A : $0 })  // every field on its own line
        result.append(bytes.map { ($0 >= 0x30 && $0 <= 0x39) ? UInt8(ascii: "x") : $0 })  // no numbers
        result.append(bytes.filter { $0 != 0x0A })  // one long line
        result.append(bytes + bytes)  // duplicated content
        // Seeded, so that a failure is reproduced by running the test again.
        var generator = SplitMix64(seed: UInt64(bytes.count))
        for _ in 0..<20 {
            var noisy = bytes
            for _ in 0..<max(1, bytes.count / 50) where !noisy.isEmpty {
                noisy[Int.random(in: 0..<noisy.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            result.append(noisy)
        }
        return result
    }

    @Test(arguments: files)
    func parsersNeverCrashOnMangledInput(file: String) throws {
        let bytes =
            (try? Fixtures.file(file))
            ?? Array("1234 (cmd) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22".utf8)
        for variant in Self.variants(of: bytes) {
            for parse in Self.parsers {
                do { try parse(variant) } catch is ProcParseError {} catch {
                    Issue.record("unexpected error type \(type(of: error)): \(error)")
                }
            }
        }
    }

    @Test func tallyCountsSkippedLinesPerFile() throws {
        let tally = MalformedInputTally()
        let procFS = ProcFS(root: Fixtures.nodeExporter + "/proc", tally: tally)
        try procFS.memInfo { _, _, _, _ in }
        _ = try procFS.stat()
        #expect(tally.totals[procFS.path("meminfo")] == 0)
        #expect(tally.totals[procFS.path("stat")] == 0)
    }
}
