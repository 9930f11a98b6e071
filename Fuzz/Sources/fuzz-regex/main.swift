import FuzzSupport
import VitalsRegex

/// Go-syntax patterns from filter flags: the first line is the pattern, the rest the text. Any
/// pattern compiles or fails with an offset; matching runs in linear time, so libFuzzer's
/// -timeout catches a pattern that would make it backtrack.
FuzzDriver.run { bytes in
    let input = Array(bytes)
    let split = input.firstIndex(of: 0x0A) ?? input.count
    let pattern = String(decoding: input[..<split], as: UTF8.self)
    let text = split < input.count ? String(decoding: input[(split + 1)...], as: UTF8.self) : ""
    guard let regex = try? GoRegex(pattern) else { return }
    let whole = regex.wholeMatches(text)
    let anywhere = regex.matches(text)
    if whole, !anywhere { fatalError("\(pattern) matches all of \(text) but not anywhere in it") }
}
