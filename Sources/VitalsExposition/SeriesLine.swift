#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One line of the text format (`name{label="value",...} 1.5`, or a family's `# HELP` or
/// `# TYPE`), built in scratch memory and appended to the output in one copy.
///
/// A line has a dozen pieces; appending each to the output array on its own (a uniqueness and
/// capacity check, a generic copy) cost more than everything else the writer does. Here the
/// pieces are copied with `memcpy` into a buffer sized for the family's longest line.
struct SeriesLine {
    private let start: UnsafeMutablePointer<UInt8>
    private var end: UnsafeMutablePointer<UInt8>
    /// The scratch's size; a line never outgrows it (``longest(_:)``).
    private let capacity: Int
    /// Go `'g'` text of the value being written; kept to reuse its storage.
    private var number: [UInt8] = []

    /// `scratch` must hold ``longest(_:)`` bytes of the family being written.
    init(scratch: UnsafeMutableBufferPointer<UInt8>) {
        start = scratch.baseAddress!
        end = start
        capacity = scratch.count
        number.reserveCapacity(32)
    }

    /// An upper bound of the length of each line of `family`: escaping at most doubles a label
    /// value or the HELP text, and Go's `'g'` text of a double is at most 24 bytes.
    static func longest(_ family: MetricFamily) -> Int {
        let fixed = family.name.utf8.count + 7 + 2 + 1 + 32 + 1  // `_bucket`, `{}`, ` `, value, newline
        // `# HELP name help\n` is name + 9 + the escaped help; `# TYPE name histogram\n` name + 18.
        var longest = family.name.utf8.count + 2 * family.help.utf8.count + 18
        for metric in family.metrics {
            var length = fixed
            for label in metric.labels { length += label.name.utf8.count + 2 * label.value.utf8.count + 4 }
            if case .sample = metric.value {} else { length += 8 + 32 + 4 }  // `quantile="…"` or `le="…"`
            longest = max(longest, length)
        }
        return longest
    }

    /// Writes `# HELP name help` and appends it to `output`.
    mutating func writeHelp(_ name: String, _ help: String, to output: inout [UInt8]) {
        end = start
        put("# HELP ")
        put(name)
        put(UInt8(ascii: " "))
        putEscaped(help, escapingQuotes: false)
        put(UInt8(ascii: "\n"))
        emit(to: &output)
    }

    /// Writes `# TYPE name type` and appends it to `output`.
    mutating func writeType(_ name: String, _ type: String, to output: inout [UInt8]) {
        end = start
        put("# TYPE ")
        put(name)
        put(UInt8(ascii: " "))
        put(type)
        put(UInt8(ascii: "\n"))
        emit(to: &output)
    }

    /// Writes a series line and appends it to `output`.
    mutating func write(
        _ name: String, suffix: StaticString, _ labels: [Label], extra: (StaticString, Double)?,
        _ value: Double, to output: inout [UInt8]
    ) {
        end = start
        put(name)
        put(suffix)
        if !labels.isEmpty || extra != nil {
            put(UInt8(ascii: "{"))
            var first = true
            for label in labels {
                if !first { put(UInt8(ascii: ",")) }
                first = false
                put(label.name)
                put(UInt8(ascii: "="))
                put(UInt8(ascii: "\""))
                putEscaped(label.value, escapingQuotes: true)
                put(UInt8(ascii: "\""))
            }
            if let (extraName, extraValue) = extra {
                if !first { put(UInt8(ascii: ",")) }
                put(extraName)
                put(UInt8(ascii: "="))
                put(UInt8(ascii: "\""))
                put(extraValue)
                put(UInt8(ascii: "\""))
            }
            put(UInt8(ascii: "}"))
        }
        put(UInt8(ascii: " "))
        put(value)
        put(UInt8(ascii: "\n"))
        emit(to: &output)
    }

    /// Appends the line built. Release builds check the bound here, once a line, so that a wrong
    /// bound stops the process at once instead of going on past corrupted memory; debug builds
    /// (and the fuzz targets) check every write.
    private func emit(to output: inout [UInt8]) {
        precondition(end - start <= capacity, "a line outgrew the bound SeriesLine.longest gave")
        output.append(contentsOf: UnsafeBufferPointer(start: start, count: end - start))
    }

    @inline(__always)
    private mutating func put(_ byte: UInt8) {
        assert(end - start < capacity, "a line outgrew the bound SeriesLine.longest gave")
        end.pointee = byte
        end += 1
    }

    @inline(__always)
    private mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        assert(end - start + bytes.count <= capacity, "a line outgrew the bound SeriesLine.longest gave")
        memcpy(end, base, bytes.count)
        end += bytes.count
    }

    @inline(__always)
    private mutating func put(_ text: StaticString) {
        put(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func put(_ text: String) {
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { put($0) }
        if copied == nil { for byte in text.utf8 { put(byte) } }
    }

    private mutating func put(_ value: Double) {
        number.removeAll(keepingCapacity: true)
        GoFloatFormat.append(value, to: &number)
        number.withUnsafeBufferPointer { put($0) }
    }

    /// Text with `\` and newline escaped, and `"` too in a label value, copied in runs between
    /// escapes (almost no text has any).
    private mutating func putEscaped(_ text: String, escapingQuotes: Bool) {
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            var runStart = 0
            for index in 0..<bytes.count {
                let escaped: UInt8
                switch bytes[index] {
                case UInt8(ascii: "\\"): escaped = UInt8(ascii: "\\")
                case UInt8(ascii: "\n"): escaped = UInt8(ascii: "n")
                case UInt8(ascii: "\"") where escapingQuotes: escaped = UInt8(ascii: "\"")
                default: continue
                }
                put(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                put(UInt8(ascii: "\\"))
                put(escaped)
                runStart = index + 1
            }
            put(UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        if copied == nil {
            putEscaped(String(decoding: Array(text.utf8), as: UTF8.self), escapingQuotes: escapingQuotes)
        }
    }
}
