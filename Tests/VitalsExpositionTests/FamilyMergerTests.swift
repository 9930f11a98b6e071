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
}
