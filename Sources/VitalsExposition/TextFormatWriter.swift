/// Encodes metric families in the text exposition format 0.0.4, byte for byte as
/// client_golang's `expfmt` does: HELP and TYPE lines, label values and HELP escaped,
/// floats formatted like Go's `FormatFloat(f, 'g', -1, 64)`.
///
/// The writer appends to a caller-owned buffer so that a scrape can reuse one allocation.
public struct TextFormatWriter: Sendable {
    /// Header lines remembered across scrapes; nil to write every header afresh.
    private let headers: HeaderMemo?

    public init(headers: HeaderMemo? = nil) {
        self.headers = headers
    }

    /// Appends every family, in the order given. Families should be normalized and sorted by name.
    public func write(_ families: [MetricFamily], to output: inout some TextOutput) {
        let longest = families.reduce(0) { max($0, SeriesLine.longest($1)) }
        var remembered = headers?.entries() ?? []
        var changed = false
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: SeriesLine.scratchSize(bound: longest)) { scratch in
            var line = SeriesLine(scratch: scratch, bound: longest)
            for (index, family) in families.enumerated() {
                if headers == nil {
                    writeHeader(family, with: &line, to: &output)
                } else if index < remembered.count, remembered[index].describes(family) {
                    line.writeLine(remembered[index].helpLine, to: &output)
                    line.writeLine(remembered[index].typeLine, to: &output)
                } else {
                    let entry = writeHeader(family, with: &line, to: &output)
                    if index < remembered.count { remembered[index] = entry } else { remembered.append(entry) }
                    changed = true
                }
                writeSeries(family, with: &line, to: &output)
            }
            line.flush(to: &output)
        }
        if remembered.count > families.count {
            remembered.removeLast(remembered.count - families.count)
            changed = true
        }
        if changed { headers?.remember(remembered) }
    }

    /// Appends one family.
    public func write(_ family: MetricFamily, to output: inout some TextOutput) {
        write([family], to: &output)
    }

    /// Appends a family's HELP and TYPE lines, and returns them for the memo.
    @discardableResult
    private func writeHeader(
        _ family: MetricFamily, with line: inout SeriesLine, to output: inout some TextOutput
    ) -> HeaderMemo.Entry {
        let capturing = headers != nil
        let helpLine =
            family.help.isEmpty ? [] : line.writeHelp(family.name, family.help, to: &output, capturing: capturing)
        let typeLine = line.writeType(family.name, family.type.rawValue, to: &output, capturing: capturing)
        return HeaderMemo.Entry(
            name: family.name, help: family.help, type: family.type, helpLine: helpLine, typeLine: typeLine)
    }

    /// Appends a family's series, built in `line`, whose scratch holds its longest line.
    private func writeSeries(_ family: MetricFamily, with line: inout SeriesLine, to output: inout some TextOutput) {
        for metric in family.metrics {
            switch metric.value {
            case .sample(let value):
                line.write(family.name, suffix: "", metric.labels, extra: nil, value, to: &output)
            case .histogram(let histogram):
                var sawInfinity = false
                for bucket in histogram.buckets {
                    if bucket.upperBound == .infinity { sawInfinity = true }
                    line.write(
                        family.name, suffix: "_bucket", metric.labels,
                        extra: ("le", bucket.upperBound), bucket.cumulativeCount, to: &output)
                }
                if !sawInfinity {
                    line.write(
                        family.name, suffix: "_bucket", metric.labels,
                        extra: ("le", .infinity), histogram.count, to: &output)
                }
                line.write(family.name, suffix: "_sum", metric.labels, extra: nil, histogram.sum, to: &output)
                line.write(family.name, suffix: "_count", metric.labels, extra: nil, histogram.count, to: &output)
            case .summary(let summary):
                for quantile in summary.quantiles {
                    line.write(
                        family.name, suffix: "", metric.labels,
                        extra: ("quantile", quantile.quantile), quantile.value, to: &output)
                }
                line.write(family.name, suffix: "_sum", metric.labels, extra: nil, summary.sum, to: &output)
                line.write(family.name, suffix: "_count", metric.labels, extra: nil, summary.count, to: &output)
            }
        }
    }

    /// Renders families into a new string; convenient for tests and small outputs.
    public func string(_ families: [MetricFamily]) -> String {
        var output: [UInt8] = []
        write(families, to: &output)
        return String(decoding: output, as: UTF8.self)
    }
}
