import Testing
import VitalsExposition

@Suite struct FamilyMergerTests {
    @Test func sameNamedFamiliesMergeSortedAndEmptyOnesAreLeftOut() {
        var first = MetricFamily.gauge("b_total", "B.")
        first.add(1, Label("x", "2"))
        var second = MetricFamily.gauge("b_total", "B.")
        second.add(2, Label("x", "1"))
        let (families, dropped) = FamilyMerger.merge([
            first, .gauge("c", "Empty."), .single("a", "A.", .gauge, 3), second,
        ])
        #expect(dropped.isEmpty)
        #expect(families.map(\.name) == ["a", "b_total"])
        #expect(families[1].metrics.map(\.labels) == [[Label("x", "1")], [Label("x", "2")]])
    }

    @Test func anInconsistentFamilyAndADuplicateSeriesAreDroppedAndReported() {
        let counter = MetricFamily.single("m", "M.", .counter, 1)
        let gauge = MetricFamily.single("m", "M.", .gauge, 2)
        let again = MetricFamily.single("m", "M.", .counter, 5)
        let (families, dropped) = FamilyMerger.merge([counter, gauge, again])
        // The first family seen wins; the one with another type goes; the repeated series goes.
        #expect(families.count == 1)
        #expect(families.first?.type == .counter)
        #expect(families.first?.metrics.map(\.value) == [.sample(1)])
        let expected: [FamilyMerger.Drop] = [
            FamilyMerger.Drop(family: "m", reason: .inconsistentFamily(.gauge)),
            FamilyMerger.Drop(family: "m", reason: .duplicateSeries([])),
        ]
        #expect(dropped == expected)
    }

    /// client_golang's suffix rule: a family named like a histogram's or summary's own series
    /// cannot be told apart from them in the text, so it goes; look-alikes of other types stay.
    @Test func aFamilyNamedLikeAHistogramsOrSummarysSeriesIsDropped() {
        let histogram = MetricFamily(
            name: "h", help: "H.", type: .histogram,
            metrics: [Metric(value: .histogram(Histogram(buckets: [], sum: 1, count: 2)))])
        let summary = MetricFamily(
            name: "s", help: "S.", type: .summary,
            metrics: [Metric(value: .summary(Summary(quantiles: [], sum: 1, count: 2)))])
        let families: [MetricFamily] = [
            .single("h_sum", "", .untyped, 1), .single("h_count", "", .gauge, 1), histogram,
            .single("h_bucket", "", .counter, 1), .single("h_a", "", .untyped, 1),
            .single("s_bucket", "", .untyped, 1), .single("s_count", "", .untyped, 1), summary,
            .single("g_count", "", .untyped, 1), .single("g", "", .gauge, 1),
            .single("_sum", "", .untyped, 1),
        ]
        let (merged, dropped) = FamilyMerger.merge(families)
        #expect(merged.map(\.name) == ["_sum", "g", "g_count", "h", "h_a", "s", "s_bucket"])
        let expected: [FamilyMerger.Drop] = [
            FamilyMerger.Drop(family: "h_bucket", reason: .collidesWith(family: "h", type: .histogram)),
            FamilyMerger.Drop(family: "h_count", reason: .collidesWith(family: "h", type: .histogram)),
            FamilyMerger.Drop(family: "h_sum", reason: .collidesWith(family: "h", type: .histogram)),
            FamilyMerger.Drop(family: "s_count", reason: .collidesWith(family: "s", type: .summary)),
        ]
        #expect(dropped == expected)
        #expect(
            dropped[0].description
                == "dropping metric family h_bucket: its name collides with the series of histogram h")
    }
}
