/// Go's `time.ParseDuration` syntax (`5s`, `1m30s`, `250ms`, `-1.5h`): node_exporter's duration flags,
/// `vitals wait --timeout`, and the Prometheus intervals of a stack file all read durations this way.
///
/// The arithmetic is Go's: whole numbers are accumulated in 64 bits and a value beyond
/// 2^63−1 nanoseconds (about 292 years) is an error, never a trap, so that no input can crash a
/// daemon that parses it.
public enum GoDuration {
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public enum Reason: Sendable, Equatable {
            case invalid
            case missingUnit
            case unknownUnit(String)
            case overflow
            case outOfRange(ClosedRange<Duration>)
        }

        public let text: String
        public let reason: Reason

        public init(text: String, reason: Reason) {
            self.text = text
            self.reason = reason
        }

        public var description: String {
            switch reason {
            case .invalid:
                "invalid duration \"\(text)\"; expected a number with a unit, such as 5s, 250ms or 1m30s"
            case .missingUnit:
                "invalid duration \"\(text)\": missing unit; expected one of ns, us, ms, s, m, h"
            case .unknownUnit(let unit):
                "invalid duration \"\(text)\": unknown unit \"\(unit)\"; expected one of ns, us, ms, s, m, h"
            case .overflow:
                "invalid duration \"\(text)\": too large (the limit is about 2562047h)"
            case .outOfRange(let range):
                "duration \"\(text)\" is out of range; expected from \(format(range.lowerBound)) to \(format(range.upperBound))"
            }
        }
    }

    /// Parses `text` and checks that it lies in `range`.
    public static func parse(_ text: String, in range: ClosedRange<Duration>) throws(ParseError) -> Duration {
        let duration = try parse(text)
        guard range.contains(duration) else { throw ParseError(text: text, reason: .outOfRange(range)) }
        return duration
    }

    /// The duration as NIO's `TimeAmount` nanoseconds, checked against `range`.
    public static func nanoseconds(_ text: String, in range: ClosedRange<Duration>) throws(ParseError) -> Int64 {
        try parse(text, in: range).wholeNanoseconds
    }

    /// Parses a duration exactly as Go's `time.ParseDuration` does, including its errors.
    public static func parse(_ text: String) throws(ParseError) -> Duration {
        let nanoseconds = try parseNanoseconds(Array(text.utf8), text: text)
        return .nanoseconds(nanoseconds)
    }

    private static let limit: UInt64 = 1 << 63

    private static func parseNanoseconds(_ bytes: [UInt8], text: String) throws(ParseError) -> Int64 {
        var index = 0
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            index = 1
        }
        if bytes.count - index == 1, bytes[index] == UInt8(ascii: "0") { return 0 }
        guard index < bytes.count else { throw ParseError(text: text, reason: .invalid) }
        var total: UInt64 = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: ".") || isDigit(bytes[index]) else {
                throw ParseError(text: text, reason: .invalid)
            }
            // The whole part, refusing to overflow.
            var whole: UInt64 = 0
            let wholeStart = index
            while index < bytes.count, isDigit(bytes[index]) {
                let digit = UInt64(bytes[index] - UInt8(ascii: "0"))
                guard whole <= limit / 10 else { throw ParseError(text: text, reason: .overflow) }
                whole = whole * 10 + digit
                guard whole <= limit else { throw ParseError(text: text, reason: .overflow) }
                index += 1
            }
            let hadWhole = index != wholeStart
            // The fraction, keeping as many digits as fit; the rest only rounds down, as in Go.
            var fraction: UInt64 = 0
            var scale = 1.0
            var hadFraction = false
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                let fractionStart = index
                var overflowed = false
                while index < bytes.count, isDigit(bytes[index]) {
                    if !overflowed {
                        let digit = UInt64(bytes[index] - UInt8(ascii: "0"))
                        if fraction > (limit - 1) / 10 || fraction * 10 > limit - 1 - digit {
                            overflowed = true
                        } else {
                            fraction = fraction * 10 + digit
                            scale *= 10
                        }
                    }
                    index += 1
                }
                hadFraction = index != fractionStart
            }
            guard hadWhole || hadFraction else { throw ParseError(text: text, reason: .invalid) }
            let unitStart = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "."), !isDigit(bytes[index]) { index += 1 }
            guard index > unitStart else { throw ParseError(text: text, reason: .missingUnit) }
            let unitText = String(decoding: bytes[unitStart..<index], as: UTF8.self)
            guard let unit = units[unitText] else { throw ParseError(text: text, reason: .unknownUnit(unitText)) }
            guard whole <= limit / unit else { throw ParseError(text: text, reason: .overflow) }
            var value = whole * unit
            if fraction > 0 {
                let extra = Double(fraction) * (Double(unit) / scale)
                guard extra < Double(limit) else { throw ParseError(text: text, reason: .overflow) }
                value += UInt64(extra)
                guard value <= limit else { throw ParseError(text: text, reason: .overflow) }
            }
            guard value <= limit - total else { throw ParseError(text: text, reason: .overflow) }
            total += value
        }
        if negative { return total == limit ? Int64.min : -Int64(total) }
        guard total <= limit - 1 else { throw ParseError(text: text, reason: .overflow) }
        return Int64(total)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static let units: [String: UInt64] = [
        "ns": 1, "us": 1_000, "\u{00B5}s": 1_000, "\u{03BC}s": 1_000, "ms": 1_000_000, "s": 1_000_000_000,
        "m": 60_000_000_000, "h": 3_600_000_000_000,
    ]

    /// A duration written back the way Go prints it (`1h0m0s`, `1.5s`, `250ms`), for messages.
    public static func format(_ duration: Duration) -> String {
        let nanoseconds = duration.wholeNanoseconds
        if nanoseconds == 0 { return "0s" }
        // The magnitude as UInt64, as Go does, so that Int64.min prints exactly and parses back.
        let magnitude = nanoseconds.magnitude
        let sign = nanoseconds < 0 ? "-" : ""
        if magnitude < 1_000 { return sign + "\(magnitude)ns" }
        if magnitude < 1_000_000 { return sign + decimal(magnitude, 1_000) + "µs" }
        if magnitude < 1_000_000_000 { return sign + decimal(magnitude, 1_000_000) + "ms" }
        let hours = magnitude / 3_600_000_000_000
        let minutes = magnitude / 60_000_000_000 % 60
        let seconds = decimal(magnitude % 60_000_000_000, 1_000_000_000) + "s"
        if hours > 0 { return sign + "\(hours)h\(minutes)m" + seconds }
        if minutes > 0 { return sign + "\(minutes)m" + seconds }
        return sign + seconds
    }

    private static func decimal(_ value: UInt64, _ unit: UInt64) -> String {
        let whole = value / unit
        let fraction = value % unit
        guard fraction > 0 else { return "\(whole)" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: String(unit).count - 1 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }
}

extension Duration {
    /// The duration in whole nanoseconds; durations beyond Int64 saturate rather than trap.
    public var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? Int64.min : Int64.max }
        let (sum, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow2 { return seconds < 0 ? Int64.min : Int64.max }
        return sum
    }
}
