/// Numbers as text, the one formatter for generated files and for people: integral values
/// without a fraction (`2`, not `2.0`), others in Swift's shortest round-tripping form (`0.05`).
/// YAML, JSON and PromQL all read both.
///
/// The exposition format's numbers are not written here: they must be byte-equal with Go's
/// `strconv.FormatFloat(f, 'g', -1, 64)` (`1e+06`), which is `GoFloatFormat`'s one job.
public enum NumberText {
    public static func shortest(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }

    /// `value` rounded to at most `places` decimals, without trailing zeros (`2.5`, `2`), for
    /// text that people read: thresholds in alert descriptions, latencies in `vitals check`.
    public static func rounded(_ value: Double, places: Int) -> String {
        var factor = 1.0
        for _ in 0..<max(0, places) { factor *= 10 }
        return shortest((value * factor).rounded() / factor)
    }
}
