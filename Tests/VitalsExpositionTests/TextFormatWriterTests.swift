import Testing

@testable import VitalsExposition

@Suite struct TextFormatWriterTests {
    @Test func writesHelpTypeAndSamples() {
        var family = MetricFamily(name: "node_load1", help: "1m load average.", type: .gauge)
        family.add(0.21)
        #expect(
            TextFormatWriter().string([family])
                == "# HELP node_load1 1m load average.\n# TYPE node_load1 gauge\nnode_load1 0.21\n")
    }

    @Test func escapesHelpAndLabelValues() {
        var family = MetricFamily(name: "x", help: "back\\slash and\nnewline \"quoted\"", type: .untyped)
        family.add(1, Label("path", "C:\\dir \"q\"\nnext"))
        // Short texts (stored inline) and texts that start or end with an escape.
        family.add(2, Label("path", "\\"))
        family.add(3, Label("path", "\n\"a\\"))
        let text = TextFormatWriter().string([family])
        #expect(
            text
                == "# HELP x back\\\\slash and\\nnewline \"quoted\"\n# TYPE x untyped\nx{path=\"C:\\\\dir \\\"q\\\"\\nnext\"} 1\n"
                + "x{path=\"\\\\\"} 2\nx{path=\"\\n\\\"a\\\\\"} 3\n"
        )
    }

    /// Lines are built in scratch memory sized by an upper bound: the longest possible line (every
    /// byte of every label value and of the HELP escaped, the longest Go float text) must fit, and
    /// come out right. Debug builds assert the bound.
    @Test func theLongestLinesFitTheirScratchAndComeOutWhole() {
        let quotes = String(repeating: "\"", count: 300)
        let newlines = String(repeating: "\n", count: 200)
        let smallest = -2.2250738585072014e-308
        var family = MetricFamily(name: "h", help: newlines, type: .histogram)
        family.metrics.append(
            Metric(
                labels: [Label("a", quotes), Label("b", newlines)],
                value: .histogram(
                    Histogram(buckets: [.init(upperBound: smallest, cumulativeCount: smallest)], sum: 1, count: 2))))
        let text = TextFormatWriter().string([family])
        let escapedQuotes = String(repeating: "\\\"", count: 300)
        let escapedNewlines = String(repeating: "\\n", count: 200)
        #expect(text.hasPrefix("# HELP h \(escapedNewlines)\n# TYPE h histogram\n"))
        #expect(
            text.contains(
                "h_bucket{a=\"\(escapedQuotes)\",b=\"\(escapedNewlines)\",le=\"-2.2250738585072014e-308\"} -2.2250738585072014e-308\n"
            ))
        #expect(text.hasSuffix("h_count{a=\"\(escapedQuotes)\",b=\"\(escapedNewlines)\"} 2\n"))
    }

    /// Lines go to the output in batches, flushed whenever the next line might not fit: many
    /// batches of short lines, with a line longer than a batch among them, come out whole and in
    /// order, the same as each line written on its own.
    @Test func batchesOfLinesComeOutWholeAndInOrder() {
        var families: [MetricFamily] = []
        for index in 0..<40 {
            var family = MetricFamily(name: "f\(index)", help: "family \(index)", type: .gauge)
            for series in 0..<100 { family.add(Double(series), Label("series", "\(index)-\(series)")) }
            families.append(family)
        }
        var long = MetricFamily(name: "long", help: "", type: .gauge)
        long.add(1, Label("value", String(repeating: "x", count: 10_000)))
        families.insert(long, at: 17)
        var batched: [UInt8] = []
        TextFormatWriter().write(families, to: &batched)
        var expected = ""
        for family in families {
            if !family.help.isEmpty { expected += "# HELP \(family.name) \(family.help)\n" }
            expected += "# TYPE \(family.name) gauge\n"
            for metric in family.metrics {
                guard case .sample(let value) = metric.value else { continue }
                expected += "\(family.name){\(metric.labels[0].name)=\"\(metric.labels[0].value)\"} \(Int(value))\n"
            }
        }
        #expect(batched.count > 100_000, "several batches of the 40 KiB scratch")
        #expect(String(decoding: batched, as: UTF8.self) == expected)
    }

    /// Found by fuzz-text-format: a family without series or HELP has only its TYPE line, which
    /// for `histogram` is longer than the bound once was (debug builds asserted; release builds
    /// would have written past the scratch).
    @Test(arguments: [MetricType.histogram, .summary, .untyped, .counter, .gauge])
    func aFamilyWithOnlyATypeLineFitsItsScratch(type: MetricType) {
        let family = MetricFamily(name: "h", help: "", type: type)
        #expect(TextFormatWriter().string([family]) == "# TYPE h \(type.rawValue)\n")
    }

    @Test func normalizeSortsLabelsByNameAndSeriesByValues() {
        var family = MetricFamily(name: "node_cpu_seconds_total", help: "h", type: .counter)
        family.add(1, Label("mode", "user"), Label("cpu", "10"))
        family.add(2, Label("mode", "idle"), Label("cpu", "2"))
        family.add(3, Label("mode", "user"), Label("cpu", "2"))
        family.normalize()
        #expect(
            TextFormatWriter().string([family]).split(separator: "\n").dropFirst(2)
                == [
                    "node_cpu_seconds_total{cpu=\"10\",mode=\"user\"} 1",
                    "node_cpu_seconds_total{cpu=\"2\",mode=\"idle\"} 2",
                    "node_cpu_seconds_total{cpu=\"2\",mode=\"user\"} 3",
                ])
    }

    @Test func writesHistogramsWithImplicitInfBucketAndSummaries() {
        let histogram = MetricFamily(
            name: "h", help: "a histogram", type: .histogram,
            metrics: [
                Metric(
                    labels: [Label("a", "b")],
                    value: .histogram(
                        Histogram(buckets: [.init(upperBound: 0.5, cumulativeCount: 1)], sum: 2, count: 3)))
            ])
        let summary = MetricFamily(
            name: "s", help: "a summary", type: .summary,
            metrics: [
                Metric(value: .summary(Summary(quantiles: [.init(quantile: 0.99, value: 4)], sum: 5, count: 6)))
            ])
        #expect(
            TextFormatWriter().string([histogram, summary]) == """
                # HELP h a histogram
                # TYPE h histogram
                h_bucket{a="b",le="0.5"} 1
                h_bucket{a="b",le="+Inf"} 3
                h_sum{a="b"} 2
                h_count{a="b"} 3
                # HELP s a summary
                # TYPE s summary
                s{quantile="0.99"} 4
                s_sum 5
                s_count 6

                """)
    }

    @Test func familyWithoutHelpHasNoHelpLine() {
        var family = MetricFamily(name: "y", help: "", type: .counter)
        family.add(7)
        #expect(TextFormatWriter().string([family]) == "# TYPE y counter\ny 7\n")
    }
}
