/// Formats doubles exactly as Go's `strconv.FormatFloat(f, 'g', -1, 64)`, which is what
/// client_golang writes into the text exposition. Byte-equal output is what lets Vitals'
/// scrapes be diffed against node_exporter's golden files.
///
/// The rules: the shortest digit string that round-trips; `%e` form once the decimal
/// exponent is below -4 or at least 6 (`1e+06`, `2.46617e+06`, `1e-05`), otherwise plain
/// decimal (`262144`, `0.0001`); a two-digit minimum exponent; `+Inf`, `-Inf` and `NaN`.
public enum GoFloatFormat {
    /// Returns the Go `'g'` formatting of `value`.
    public static func string(_ value: Double) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        append(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the Go `'g'` formatting of `value` to `output`.
    public static func append(_ value: Double, to output: inout [UInt8]) {
        if value.isNaN {
            output.append(contentsOf: [0x4E, 0x61, 0x4E])  // NaN
            return
        }
        if value.isInfinite {
            output.append(value < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            output.append(contentsOf: [0x49, 0x6E, 0x66])  // Inf
            return
        }
        if value == 0 {
            if value.sign == .minus { output.append(UInt8(ascii: "-")) }
            output.append(UInt8(ascii: "0"))
            return
        }
        // Fast path: integers below 2^53 are exact and need no shortest-digit search.
        let magnitude = value.magnitude
        if magnitude < 9_007_199_254_740_992, magnitude.rounded(.towardZero) == magnitude {
            if value < 0 { output.append(UInt8(ascii: "-")) }
            appendInteger(UInt64(magnitude), to: &output)
            return
        }
        var digits = ShortestDigits()
        digits.load(value)
        if value < 0 { output.append(UInt8(ascii: "-")) }
        layout(&digits, to: &output)
    }

    /// The most common values, zero and whole numbers below 10^6 (which Go writes as plain
    /// digits), written straight to `buffer`, which has room for 8 bytes. Returns the number of
    /// bytes written, or nil for every other value (NaN and the infinities among them).
    ///
    /// The writer calls it for every value; going through ``append(_:to:)`` and a reused array
    /// cost a hundred instructions more per value, most of them for a one-digit `0` or `1`.
    @inline(__always)
    static func writeSmallInteger(_ value: Double, to buffer: UnsafeMutablePointer<UInt8>) -> Int? {
        let magnitude = value.magnitude
        guard magnitude < 1_000_000, magnitude.rounded(.towardZero) == magnitude else { return nil }
        var position = 0
        if value.sign == .minus {
            buffer[0] = UInt8(ascii: "-")
            position = 1
        }
        var remaining = UInt32(magnitude)
        let digits =
            remaining < 10
            ? 1 : remaining < 100 ? 2 : remaining < 1000 ? 3 : remaining < 10000 ? 4 : remaining < 100_000 ? 5 : 6
        var index = position + digits
        repeat {
            index -= 1
            buffer[index] = UInt8(truncatingIfNeeded: remaining % 10) &+ 48
            remaining /= 10
        } while index > position
        return position + digits
    }

    /// Formats a positive integer below 2^53 with Go's `'g'` rules.
    @usableFromInline
    static func appendInteger(_ integer: UInt64, to output: inout [UInt8]) {
        var digitCount = 0
        var power: UInt64 = 1
        while digitCount < 19, integer / power >= 10 {
            power *= 10
            digitCount += 1
        }
        digitCount += 1  // now the number of decimal digits; `power` is 10^(digitCount-1)
        if digitCount <= 6 {
            var remaining = integer
            var divisor = power
            while divisor > 0 {
                output.append(UInt8(truncatingIfNeeded: remaining / divisor) &+ 48)
                remaining %= divisor
                divisor /= 10
            }
            return
        }
        var digits = ShortestDigits()
        digits.decimalPoint = digitCount
        var remaining = integer
        var divisor = power
        while divisor > 0, remaining > 0 || digits.count == 0 {
            digits.append(UInt8(truncatingIfNeeded: remaining / divisor) &+ 48)
            remaining %= divisor
            divisor /= 10
        }
        layout(&digits, to: &output)
    }

    /// Writes `digits` (value = 0.d1d2... × 10^decimalPoint) in `%e` or `%f` form.
    @usableFromInline
    static func layout(_ digits: inout ShortestDigits, to output: inout [UInt8]) {
        let exponent = digits.decimalPoint - 1
        if exponent < -4 || exponent >= 6 {
            output.append(digits[0])
            if digits.count > 1 {
                output.append(UInt8(ascii: "."))
                for index in 1..<digits.count { output.append(digits[index]) }
            }
            output.append(UInt8(ascii: "e"))
            output.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            let absolute = exponent.magnitude
            if absolute < 10 {
                output.append(UInt8(ascii: "0"))
                output.append(UInt8(truncatingIfNeeded: absolute) &+ 48)
            } else if absolute < 100 {
                output.append(UInt8(truncatingIfNeeded: absolute / 10) &+ 48)
                output.append(UInt8(truncatingIfNeeded: absolute % 10) &+ 48)
            } else {
                output.append(UInt8(truncatingIfNeeded: absolute / 100) &+ 48)
                output.append(UInt8(truncatingIfNeeded: (absolute / 10) % 10) &+ 48)
                output.append(UInt8(truncatingIfNeeded: absolute % 10) &+ 48)
            }
            return
        }
        // %f with exactly the significant digits.
        let point = digits.decimalPoint
        if point > 0 {
            for index in 0..<point {
                output.append(index < digits.count ? digits[index] : UInt8(ascii: "0"))
            }
        } else {
            output.append(UInt8(ascii: "0"))
        }
        let fraction = digits.count - point
        if fraction > 0 {
            output.append(UInt8(ascii: "."))
            for offset in 0..<fraction {
                let index = point + offset
                output.append(index >= 0 ? digits[index] : UInt8(ascii: "0"))
            }
        }
    }
}

/// The shortest round-trip decimal digits of a double, without a heap allocation.
@usableFromInline
struct ShortestDigits {
    /// Up to 17 significant digits plus slack, as ASCII.
    @usableFromInline var storage: (UInt64, UInt64, UInt64) = (0, 0, 0)
    @usableFromInline var count = 0
    /// Position of the decimal point relative to the first digit.
    @usableFromInline var decimalPoint = 0

    @usableFromInline init() {}

    @inlinable
    subscript(index: Int) -> UInt8 {
        withUnsafeBytes(of: storage) { $0[index] }
    }

    @inlinable
    mutating func append(_ digit: UInt8) {
        guard count < 24 else { return }
        let index = count
        withUnsafeMutableBytes(of: &storage) { $0[index] = digit }
        count += 1
    }

    /// Reads the digits out of Swift's own shortest round-trip rendering (`description`),
    /// which uses the same shortest-and-closest rule as Go.
    @usableFromInline
    mutating func load(_ value: Double) {
        let text = value.magnitude.description
        var seenPoint = false
        var leadingZeros = true
        var integerDigits = 0
        var skippedFractionZeros = 0
        var exponent = 0
        var exponentSign = 1
        var inExponent = false
        for byte in text.utf8 {
            if inExponent {
                if byte == UInt8(ascii: "-") {
                    exponentSign = -1
                } else if byte >= 48, byte <= 57 {
                    exponent = exponent * 10 + Int(byte - 48)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "."):
                seenPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                inExponent = true
            case 48...57:
                if leadingZeros, byte == 48 {
                    if seenPoint { skippedFractionZeros += 1 }
                    continue
                }
                leadingZeros = false
                append(byte)
                if !seenPoint { integerDigits += 1 }
            default:
                continue
            }
        }
        // Drop trailing zeros ("1.0", "100.0").
        while count > 1, self[count - 1] == 48 { count -= 1 }
        if integerDigits > 0 {
            decimalPoint = integerDigits
        } else {
            decimalPoint = -skippedFractionZeros
        }
        decimalPoint += exponentSign * exponent
    }
}
