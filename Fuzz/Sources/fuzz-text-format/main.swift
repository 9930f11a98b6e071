import FuzzSupport
import VitalsExposition

/// The text exposition format, as textfiles bring it in: parse or fail with a position; what
/// parses writes out and parses again to the same families.
FuzzDriver.run { bytes in
    guard let first = try? TextFormatParser().parse(Array(bytes)) else { return }
    let written = TextFormatWriter().string(first.families)
    guard let second = try? TextFormatParser().parse(Array(written.utf8)) else {
        fatalError("the writer's output does not parse:\n\(written)")
    }
    let again = TextFormatWriter().string(second.families)
    if again != written { fatalError("writing is not stable:\n\(written)\n---\n\(again)") }
}
