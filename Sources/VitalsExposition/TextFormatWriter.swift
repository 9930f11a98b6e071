/// Encodes metric families in the text exposition format 0.0.4, byte for byte as
/// client_golang's `expfmt` does: HELP and TYPE lines, label values and HELP escaped,
/// floats formatted like Go's `FormatFloat(f, 'g', -1, 64)`.
///
/// The writer appends to a caller-owned buffer so that a scrape can reuse one allocation.
public struct TextFormatWriter: Sendable {
    public init() {}

    /// Appends every family, in the order given. Families should be normalized and sorted by name.
    public func write(_ families: [MetricFamily], to output: inout [UInt8]) {
        for family in families {
            write(family, to: &output)
        }
    }

    /// Appends one family.
    public func write(_ family: MetricFamily, to output: inout [UInt8]) {
        if !family.help.isEmpty {
            output.append(contentsOf: "# HELP ".utf8)
            Self.appendUTF8(family.name, to: &output)
            output.append(UInt8(ascii: " "))
            Self.appendEscaped(family.help, escapingQuotes: false, to: &output)
            output.append(UInt8(ascii: "\n"))
        }
        output.append(contentsOf: "# TYPE ".utf8)
        Self.appendUTF8(family.name, to: &output)
        output.append(UInt8(ascii: " "))
        Self.appendUTF8(family.type.rawValue, to: &output)
        output.append(UInt8(ascii: "\n"))
        for metric in family.metrics {
            switch metric.value {
            case .sample(let value):
                appendLine(family.name, suffix: "", metric.labels, extra: nil, value, to: &output)
            case .histogram(let histogram):
                var sawInfinity = false
                for bucket in histogram.buckets {
                    if bucket.upperBound == .infinity { sawInfinity = true }
                    appendLine(
                        family.name, suffix: "_bucket", metric.labels,
                        extra: ("le", bucket.upperBound), bucket.cumulativeCount, to: &output)
                }
                if !sawInfinity {
                    appendLine(
                        family.name, suffix: "_bucket", metric.labels,
                        extra: ("le", .infinity), histogram.count, to: &output)
                }
                appendLine(family.name, suffix: "_sum", metric.labels, extra: nil, histogram.sum, to: &output)
                appendLine(family.name, suffix: "_count", metric.labels, extra: nil, histogram.count, to: &output)
            case .summary(let summary):
                for quantile in summary.quantiles {
                    appendLine(
                        family.name, suffix: "", metric.labels,
                        extra: ("quantile", quantile.quantile), quantile.value, to: &output)
                }
                appendLine(family.name, suffix: "_sum", metric.labels, extra: nil, summary.sum, to: &output)
                appendLine(family.name, suffix: "_count", metric.labels, extra: nil, summary.count, to: &output)
            }
        }
    }

    /// Renders families into a new string; convenient for tests and small outputs.
    public func string(_ families: [MetricFamily]) -> String {
        var output: [UInt8] = []
        write(families, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    @inline(__always)
    private func appendLine(
        _ name: String, suffix: StaticString, _ labels: [Label], extra: (StaticString, Double)?,
        _ value: Double, to output: inout [UInt8]
    ) {
        Self.appendUTF8(name, to: &output)
        if suffix.utf8CodeUnitCount > 0 {
            output.append(contentsOf: UnsafeBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount))
        }
        if !labels.isEmpty || extra != nil {
            output.append(UInt8(ascii: "{"))
            var first = true
            for label in labels {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                Self.appendUTF8(label.name, to: &output)
                output.append(UInt8(ascii: "="))
                output.append(UInt8(ascii: "\""))
                Self.appendEscaped(label.value, escapingQuotes: true, to: &output)
                output.append(UInt8(ascii: "\""))
            }
            if let (extraName, extraValue) = extra {
                if !first { output.append(UInt8(ascii: ",")) }
                output.append(
                    contentsOf: UnsafeBufferPointer(start: extraName.utf8Start, count: extraName.utf8CodeUnitCount))
                output.append(UInt8(ascii: "="))
                output.append(UInt8(ascii: "\""))
                GoFloatFormat.append(extraValue, to: &output)
                output.append(UInt8(ascii: "\""))
            }
            output.append(UInt8(ascii: "}"))
        }
        output.append(UInt8(ascii: " "))
        GoFloatFormat.append(value, to: &output)
        output.append(UInt8(ascii: "\n"))
    }

    /// Appends a string's bytes with one copy: native and small strings, which are all a scrape
    /// has, hand out their UTF-8 storage directly (the generic sequence append was a visible cost).
    @inline(__always)
    @usableFromInline
    static func appendUTF8(_ text: String, to output: inout [UInt8]) {
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { output.append(contentsOf: $0) }
        if copied == nil { output.append(contentsOf: text.utf8) }
    }

    /// Escapes `\` and newline (and `"` inside label values), as the format requires.
    ///
    /// Most texts need no escape at all, so runs between escapes are copied whole rather than
    /// byte by byte (this was the writer's largest cost in a profile of a scrape).
    @usableFromInline
    static func appendEscaped(_ text: String, escapingQuotes: Bool, to output: inout [UInt8]) {
        var text = text
        text.makeContiguousUTF8()  // a no-op for native strings, which every collector makes
        _ = text.utf8.withContiguousStorageIfAvailable { bytes in
            var runStart = 0
            for index in 0..<bytes.count {
                let escaped: UInt8
                switch bytes[index] {
                case UInt8(ascii: "\\"): escaped = UInt8(ascii: "\\")
                case UInt8(ascii: "\n"): escaped = UInt8(ascii: "n")
                case UInt8(ascii: "\"") where escapingQuotes: escaped = UInt8(ascii: "\"")
                default: continue
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                output.append(UInt8(ascii: "\\"))
                output.append(escaped)
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
    }
}
