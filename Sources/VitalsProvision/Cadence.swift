import Foundation

/// How fast the generated monitoring reacts: as in production, or compressed for fault drills.
///
/// A drill (`vitals provision --drill`) breaks a real service and waits for the real alert and the
/// real notification; at production timing that takes hours. In a drill every duration is divided
/// by 60 — `for: 5m` becomes `5s`, `rate(…[5m])` looks back 5 s (at least 6 s, so that every window
/// holds three scrapes), an hour of LLM spend becomes a minute. Prometheus evaluates every second
/// and scrapes every two: an exporter needs time to report a failure too (postgres_exporter takes a
/// full second to answer `pg_up 0` for a refused connection), and the scrape timeout cannot exceed
/// the interval. The production output never depends on it.
public enum Cadence: Sendable, Equatable {
    case production
    case drill

    /// A drill's scrape interval, and its shortest range: three scrapes.
    static let drillScrapeSeconds = 2
    static let drillMinimumRangeSeconds = 3 * drillScrapeSeconds

    /// A rule's `for`, or an interval, at this cadence.
    func duration(_ text: String) -> String {
        guard self == .drill, let seconds = Self.seconds(text) else { return text }
        return Self.format(seconds / 60)
    }

    /// A PromQL expression with every range (`[5m]`) and day-long horizon scaled to this cadence.
    func expression(_ expr: String) -> String {
        guard self == .drill else { return expr }
        var output = ""
        var rest = Substring(expr)
        while let open = rest.firstIndex(of: "[") {
            output += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "]") else { break }
            let inner = String(rest[rest.index(after: open)..<close])
            if let seconds = Self.seconds(inner) {
                output += "[" + Self.format(max(Self.drillMinimumRangeSeconds, seconds / 60)) + "]"
            } else {
                output += "[" + inner + "]"
            }
            rest = rest[rest.index(after: close)...]
        }
        output += rest
        return output.replacingOccurrences(of: "24 * 60 * 60", with: "24 * 60")
    }

    /// Seconds in a Prometheus duration of one unit (`90s`, `5m`, `6h`); nil for anything else.
    static func seconds(_ text: String) -> Int? {
        guard let unit = text.last, let value = Int(text.dropLast()) else { return nil }
        switch unit {
        case "s": return value
        case "m": return value * 60
        case "h": return value * 3600
        case "d": return value * 86_400
        default: return nil
        }
    }

    static func format(_ seconds: Int) -> String {
        if seconds > 0, seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds > 0, seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
