import FuzzSupport
import VitalsExposition

/// The text exposition format, as textfiles bring it in: parse or fail with a position; what
/// parses writes out and parses again to the same families. Families whose names collide with a
/// histogram's or summary's series have no unambiguous text form, so the raw parse is checked
/// only without them; what the merger passes on (what a scrape exposes) is always checked.
FuzzDriver.run { bytes in
    guard let parsed = try? TextFormatParser().parse(Array(bytes)) else { return }
    let (merged, dropped) = FamilyMerger.merge(parsed.families)
    let collides = dropped.contains {
        if case .collidesWith = $0.reason { true } else { false }
    }
    if !collides { expectStableWriting(parsed.families) }
    expectStableWriting(merged)
}

func expectStableWriting(_ families: [MetricFamily]) {
    let written = TextFormatWriter().string(families)
    guard let second = try? TextFormatParser().parse(Array(written.utf8)) else {
        fatalError("the writer's output does not parse: \(written.debugDescription)")
    }
    let again = TextFormatWriter().string(second.families)
    if again != written {
        fatalError("writing is not stable: \(written.debugDescription) became \(again.debugDescription)")
    }
}
