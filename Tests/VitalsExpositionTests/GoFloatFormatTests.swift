import Foundation
import Testing

@testable import VitalsExposition

@Suite struct GoFloatFormatTests {
    /// Expected strings are what Go's `strconv.FormatFloat(v, 'g', -1, 64)` prints.
    @Test(
        arguments: [
            (0.0, "0"), (-0.0, "-0"), (1, "1"), (-1, "-1"), (0.5, "0.5"), (0.1, "0.1"),
            (262_144, "262144"), (999_999, "999999"), (1_000_000, "1e+06"), (2_466_170, "2.46617e+06"),
            (123_456_789, "1.23456789e+08"), (1e21, "1e+21"), (1e100, "1e+100"), (0.0001, "0.0001"),
            (0.00001, "1e-05"), (1.5e-7, "1.5e-07"), (12345.678, "12345.678"), (100, "100"),
            (9653.880000000001, "9653.880000000001"), (0.10400000000000001, "0.10400000000000001"),
            (2_077_872.2280000001, "2.0778722280000001e+06"), (1.8446744073709552e19, "1.8446744073709552e+19"),
            (.leastNonzeroMagnitude, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
            (-2.5e-10, "-2.5e-10"),
            (.infinity, "+Inf"), (-.infinity, "-Inf"), (.nan, "NaN"), (4_294_967_296, "4.294967296e+09"),
            (9_007_199_254_740_992, "9.007199254740992e+15"), (3.5184372087808e13, "3.5184372087808e+13"),
        ] as [(Double, String)])
    func formatsLikeGo(value: Double, expected: String) {
        #expect(GoFloatFormat.string(value) == expected)
        // The writer's shortcut for zero and small whole numbers agrees, or leaves the value alone.
        let shortcut = Self.shortcut(value)
        if let shortcut { #expect(shortcut == expected) }
        let small = value.magnitude < 1_000_000 && value.rounded(.towardZero) == value
        #expect((shortcut != nil) == small, "the shortcut takes exactly the whole numbers below 10^6")
    }

    /// What the writer's shortcut writes for `value`, or nil when it leaves it to the full rules.
    static func shortcut(_ value: Double) -> String? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 8) { buffer in
            GoFloatFormat.writeSmallInteger(value, to: buffer.baseAddress!).map {
                String(decoding: UnsafeBufferPointer(rebasing: buffer[..<$0]), as: UTF8.self)
            }
        }
    }

    /// The shortcut against the full rules for every whole number around each power of ten.
    @Test func theSmallIntegerShortcutAgreesWithTheFullRules() {
        var values: [Double] = []
        var power = 1.0
        while power <= 1_000_000 {
            for offset in [-2.0, -1, 0, 1, 2] { values += [power + offset, -(power + offset)] }
            power *= 10
        }
        for value in values {
            let full = GoFloatFormat.string(value)
            let shortcut = Self.shortcut(value)
            #expect(shortcut == (value.magnitude < 1_000_000 ? full : nil), "\(value)")
        }
    }

    /// Every value node_exporter wrote into its golden output must come back byte for byte.
    @Test func roundTripsEveryValueInNodeExporterGoldenOutput() throws {
        let text = try String(contentsOfFile: Fixtures.nodeExporter + "/e2e-output.txt", encoding: .utf8)
        var checked = 0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let written = String(line[line.index(after: space)...])
            let value: Double
            switch written {
            case "+Inf": value = .infinity
            case "-Inf": value = -.infinity
            case "NaN": value = .nan
            default:
                guard let parsed = Double(written) else {
                    Issue.record("unparseable value \(written)")
                    continue
                }
                value = parsed
            }
            #expect(GoFloatFormat.string(value) == written, "line: \(line)")
            checked += 1
        }
        #expect(checked > 3000)
    }
}

enum Fixtures {
    /// ../shared/fixtures/node_exporter beside the checkout.
    static let nodeExporter: String = {
        let file = #filePath
        let root = file.split(separator: "/").dropLast(3).joined(separator: "/")
        return "/" + root + "/../shared/fixtures/node_exporter"
    }()
}
