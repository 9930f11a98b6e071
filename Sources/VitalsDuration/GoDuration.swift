/// Go's `time.ParseDuration` syntax (`5s`, `1m30s`, `250ms`): node_exporter's duration flags,
/// `vitals wait --timeout`, and the Prometheus intervals of a stack file all read durations this way.
public enum GoDuration {
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let text: String
        public var description: String { "invalid duration \"\(text)\"; expected a number with a unit, such as 5s, 250ms or 1m30s" }
    }

    /// The duration as NIO's `TimeAmount` nanoseconds.
    public static func nanoseconds(_ text: String) throws(ParseError) -> Int64 {
        let duration = try parse(text)
        return duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }

    public static func parse(_ text: String) throws(ParseError) -> Duration {
        if text == "0" { return .zero }
        var total = 0.0
        var rest = Substring(text)
        guard !rest.isEmpty else { throw ParseError(text: text) }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { throw ParseError(text: text) }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !$0.isNumber && $0 != "." }
            rest = rest.dropFirst(unit.count)
            let scale: Double
            switch unit {
            case "ns": scale = 1e-9
            case "us", "µs": scale = 1e-6
            case "ms": scale = 1e-3
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            default: throw ParseError(text: text)
            }
            total += value * scale
        }
        return .nanoseconds(Int64((total * 1e9).rounded()))
    }
}
