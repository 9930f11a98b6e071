import FuzzSupport
import VitalsDuration

/// Go durations from flags and stack files: any text parses or fails with an error, never a trap,
/// and what parses prints back to a duration that parses to the same value.
FuzzDriver.run { bytes in
    let text = String(decoding: bytes, as: UTF8.self)
    guard let duration = try? GoDuration.parse(text) else { return }
    let printed = GoDuration.format(duration)
    guard let again = try? GoDuration.parse(printed), again == duration else {
        fatalError("\(text) parsed to \(duration), printed as \(printed), which does not parse back")
    }
}
