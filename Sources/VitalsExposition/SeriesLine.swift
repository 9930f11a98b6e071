#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Lines of the text format (`name{label="value",...} 1.5`, or a family's `# HELP` or `# TYPE`),
/// built one after another in scratch memory and appended to the output a batch at a time.
///
/// A line has a dozen pieces; appending each to the output array on its own (a uniqueness and
/// capacity check, a generic copy) cost more than everything else the writer does, and appending
/// each line still cost a tenth of it. Here the pieces are copied with `memcpy` into scratch that
/// holds a batch of lines, and the batch goes to the output in one copy when the next line might
/// not fit.
struct SeriesLine {
    private let start: UnsafeMutablePointer<UInt8>
    private var end: UnsafeMutablePointer<UInt8>
    /// Where the line being built starts.
    private var lineStart: UnsafeMutablePointer<UInt8>
    /// The scratch's size.
    private let capacity: Int
    /// The longest line the families being written can have (``longest(_:)``); a line never
    /// outgrows it, and a line is begun only with this much room left.
    private let bound: Int
    /// Go `'g'` text of the value being written; kept to reuse its storage.
    private var number: [UInt8] = []

    /// Scratch for a batch of lines whose longest is `bound` bytes.
    static func scratchSize(bound: Int) -> Int { max(2 * bound, bound + 16 * 1024) }

    /// `scratch` must hold ``scratchSize(bound:)`` bytes; `bound` is ``longest(_:)`` of every
    /// family being written.
    init(scratch: UnsafeMutableBufferPointer<UInt8>, bound: Int) {
        precondition(scratch.count >= bound, "scratch smaller than one line")
        start = scratch.baseAddress!
        end = start
        lineStart = start
        capacity = scratch.count
        self.bound = bound
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

    /// Writes `# HELP name help`, and returns the line when `capturing`.
    mutating func writeHelp(
        _ name: String, _ help: String, to output: inout some TextOutput, capturing: Bool
    ) -> [UInt8] {
        put("# HELP ")
        put(name)
        put(UInt8(ascii: " "))
        putEscaped(help, escapingQuotes: false)
        put(UInt8(ascii: "\n"))
        return endLine(returningIt: capturing, flushingTo: &output)
    }

    /// Writes `# TYPE name type`, and returns the line when `capturing`.
    mutating func writeType(
        _ name: String, _ type: String, to output: inout some TextOutput, capturing: Bool
    ) -> [UInt8] {
        put("# TYPE ")
        put(name)
        put(UInt8(ascii: " "))
        put(type)
        put(UInt8(ascii: "\n"))
        return endLine(returningIt: capturing, flushingTo: &output)
    }

    /// Writes a line built before (``HeaderMemo``); nothing for an empty one.
    mutating func writeLine(_ bytes: [UInt8], to output: inout some TextOutput) {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBufferPointer { put($0) }
        endLine(flushingTo: &output)
    }

    /// Writes a series line.
    mutating func write(
        _ name: String, suffix: StaticString, _ labels: [Label], extra: (StaticString, Double)?,
        _ value: Double, to output: inout some TextOutput
    ) {
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
        endLine(flushingTo: &output)
    }

    /// Appends the lines built so far to `output`. The writer calls it once at the end.
    mutating func flush(to output: inout some TextOutput) {
        if end > start { output.append(UnsafeBufferPointer(start: start, count: end - start)) }
        end = start
        lineStart = start
    }

    /// Ends the line built; flushes the batch when another line might not fit. Release builds
    /// check the bound here, once a line, so that a wrong bound stops the process at once instead
    /// of going on past corrupted memory; debug builds (and the fuzz targets) check every write.
    private mutating func endLine(returningIt capture: Bool, flushingTo output: inout some TextOutput) -> [UInt8] {
        let line = capture ? Array(UnsafeBufferPointer(start: lineStart, count: end - lineStart)) : []
        endLine(flushingTo: &output)
        return line
    }

    private mutating func endLine(flushingTo output: inout some TextOutput) {
        precondition(end - lineStart <= bound, "a line outgrew the bound SeriesLine.longest gave")
        if capacity - (end - start) < bound { flush(to: &output) }
        lineStart = end
    }

    @inline(__always)
    private mutating func put(_ byte: UInt8) {
        assert(end - lineStart < bound, "a line outgrew the bound SeriesLine.longest gave")
        end.pointee = byte
        end += 1
    }

    @inline(__always)
    private mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        assert(end - lineStart + bytes.count <= bound, "a line outgrew the bound SeriesLine.longest gave")
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
        assert(end - lineStart + 8 <= bound, "a line outgrew the bound SeriesLine.longest gave")
        if let written = GoFloatFormat.writeSmallInteger(value, to: end) {
            end += written
            return
        }
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
