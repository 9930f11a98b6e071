import Testing

@testable import VitalsExposition

/// Remembered HELP and TYPE lines never change what is written: whatever changed between scrapes
/// (a family's HELP, its type, its name, families added or gone), the output is what a writer
/// without memory writes.
@Suite struct HeaderMemoTests {
    static func family(_ name: String, _ help: String, _ type: MetricType = .gauge) -> MetricFamily {
        var family = MetricFamily(name: name, help: help, type: type)
        family.add(1, Label("a", "b"))
        return family
    }

    static let first = [
        family("a_total", "Counts \\ things\nover lines.", .counter), family("b", ""), family("c", "Gauge c."),
    ]

    static let scrapes: [(String, [MetricFamily])] = [
        ("the same again", first),
        ("a HELP edited", [first[0], first[1], family("c", "Gauge c, edited.")]),
        ("a type changed", [first[0], family("b", "", .untyped), first[2]]),
        ("a HELP added", [first[0], family("b", "Now with HELP."), first[2]]),
        ("a family renamed", [first[0], family("bb", ""), first[2]]),
        ("a family gone", [first[0], first[2]]),
        ("a family added", first + [family("d", "Gauge d.")]),
        ("none", []),
    ]

    @Test(arguments: scrapes.indices)
    func aRememberedHeaderIsUsedOnlyForTheSameFamily(scrape: Int) {
        let memo = HeaderMemo()
        let remembering = TextFormatWriter(headers: memo)
        var output: [UInt8] = []
        remembering.write(Self.first, to: &output)
        #expect(String(decoding: output, as: UTF8.self) == TextFormatWriter().string(Self.first))

        let (change, families) = Self.scrapes[scrape]
        output.removeAll()
        remembering.write(families, to: &output)
        #expect(String(decoding: output, as: UTF8.self) == TextFormatWriter().string(families), "\(change)")
        // And once more, from what this scrape left behind.
        output.removeAll()
        remembering.write(Self.first, to: &output)
        #expect(String(decoding: output, as: UTF8.self) == TextFormatWriter().string(Self.first), "after \(change)")
    }

    @Test func theSameFamiliesReuseEveryLine() {
        let memo = HeaderMemo()
        var output: [UInt8] = []
        TextFormatWriter(headers: memo).write(Self.first, to: &output)
        let entries = memo.entries()
        #expect(entries.map(\.name) == ["a_total", "b", "c"])
        #expect(
            String(decoding: entries[0].helpLine, as: UTF8.self) == "# HELP a_total Counts \\\\ things\\nover lines.\n")
        #expect(entries[1].helpLine.isEmpty)
        #expect(String(decoding: entries[1].typeLine, as: UTF8.self) == "# TYPE b gauge\n")
    }
}
