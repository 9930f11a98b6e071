/// Parses the Prometheus text exposition format 0.0.4 into metric families.
///
/// Used by the textfile collector and by tests that compare scrapes. It accepts what
/// client_golang's `expfmt.TextParser` accepts and reports the first error with its line and
/// column, so that an operator can find the broken line in a `.prom` file.
public struct TextFormatParser: Sendable {
    /// The result of a parse.
    public struct Result: Sendable {
        /// Families in the order they first appear.
        public var families: [MetricFamily]
        /// Whether any sample carried a client-side timestamp.
        public var hasTimestamps: Bool
    }

    public init() {}

    public func parse(_ text: String) throws(TextFormatError) -> Result {
        try parse(Array(text.utf8))
    }

    public func parse(_ bytes: [UInt8]) throws(TextFormatError) -> Result {
        var state = ParserState()
        var lineNumber = 0
        var lineStart = 0
        let count = bytes.count
        while lineStart < count {
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            try bytes.withUnsafeBufferPointer { buffer throws(TextFormatError) in
                let line = UnsafeBufferPointer(rebasing: buffer[lineStart..<lineEnd])
                try state.consume(line: line, number: lineNumber)
            }
            lineStart = lineEnd + 1
        }
        return try state.finish()
    }
}

/// Accumulates families while the parser walks the lines.
private struct ParserState {
    var families: [MetricFamily] = []
    var indexByName: [String: Int] = [:]
    var typeDeclared: Set<String> = []
    var helpDeclared: Set<String> = []
    var sampled: Set<String> = []
    var hasTimestamps = false
    /// For histograms and summaries: series index by label set without `le`/`quantile`.
    var compositeSeries: [String: [[Label]: Int]] = [:]

    mutating func consume(line: UnsafeBufferPointer<UInt8>, number: Int) throws(TextFormatError) {
        var cursor = Cursor(bytes: line, line: number)
        cursor.skipBlanks()
        if cursor.atEnd { return }
        if cursor.peek == UInt8(ascii: "#") {
            try consumeComment(&cursor)
        } else {
            try consumeSample(&cursor)
        }
    }

    mutating func consumeComment(_ cursor: inout Cursor) throws(TextFormatError) {
        cursor.advance()
        cursor.skipBlanks()
        let keyword = cursor.readWord()
        guard keyword == "HELP" || keyword == "TYPE" else { return }  // an ordinary comment
        cursor.skipBlanks()
        let nameColumn = cursor.column
        let name = cursor.readWord()
        guard Validation.isMetricName(name) else {
            throw cursor.error(at: nameColumn, "invalid metric name \"\(name)\" in \(keyword) line")
        }
        if keyword == "HELP" {
            if cursor.peek == UInt8(ascii: " ") || cursor.peek == UInt8(ascii: "\t") { cursor.advance() }
            let help = try cursor.readEscapedRest()
            guard helpDeclared.insert(name).inserted else {
                throw cursor.error(at: nameColumn, "second HELP line for metric name \"\(name)\"")
            }
            let index = familyIndex(name, type: nil)
            families[index].help = help
            return
        }
        cursor.skipBlanks()
        let typeColumn = cursor.column
        let typeName = cursor.readWord()
        guard let type = MetricType(rawValue: typeName.lowercased()) else {
            throw cursor.error(at: typeColumn, "unknown metric type \"\(typeName)\"")
        }
        guard typeDeclared.insert(name).inserted else {
            throw cursor.error(
                at: nameColumn, "second TYPE line for metric name \"\(name)\", or TYPE reported after samples")
        }
        if sampled.contains(name) {
            throw cursor.error(at: nameColumn, "TYPE line for metric name \"\(name)\" comes after its samples")
        }
        let index = familyIndex(name, type: type)
        families[index].type = type
    }

    mutating func consumeSample(_ cursor: inout Cursor) throws(TextFormatError) {
        let nameColumn = cursor.column
        let sampleName = cursor.readName()
        guard Validation.isMetricName(sampleName) else {
            throw cursor.error(at: nameColumn, "invalid metric name, expected [a-zA-Z_:][a-zA-Z0-9_:]*")
        }
        cursor.skipBlanks()
        var labels: [Label] = []
        if cursor.peek == UInt8(ascii: "{") {
            cursor.advance()
            labels = try cursor.readLabels()
            cursor.skipBlanks()
        }
        let valueColumn = cursor.column
        let valueText = cursor.readWord()
        guard !valueText.isEmpty else {
            throw cursor.error(at: valueColumn, "expected a value after the metric name and labels")
        }
        guard let value = Validation.parseFloat(valueText) else {
            throw cursor.error(at: valueColumn, "expected a float value, found \"\(valueText)\"")
        }
        cursor.skipBlanks()
        if !cursor.atEnd {
            let timestampColumn = cursor.column
            let timestamp = cursor.readWord()
            guard Int64(timestamp) != nil else {
                throw cursor.error(at: timestampColumn, "expected an integer timestamp, found \"\(timestamp)\"")
            }
            hasTimestamps = true
            cursor.skipBlanks()
            if !cursor.atEnd {
                throw cursor.error(at: cursor.column, "unexpected text after the timestamp")
            }
        }
        try place(sampleName, labels: labels, value: value, cursor: cursor, column: nameColumn)
    }

    /// Puts a sample into its family, assembling histogram and summary series.
    mutating func place(
        _ sampleName: String, labels: [Label], value: Double, cursor: Cursor, column: Int
    ) throws(TextFormatError) {
        let (familyName, role) = resolve(sampleName)
        let index = familyIndex(familyName, type: nil)
        sampled.insert(familyName)
        let type = families[index].type
        switch (type, role) {
        case (.histogram, .bucket), (.summary, .plain):
            let boundName = type == .histogram ? "le" : "quantile"
            guard let bound = labels.first(where: { $0.name == boundName }) else {
                throw cursor.error(
                    at: column, "\(type.rawValue) sample \"\(sampleName)\" lacks its \"\(boundName)\" label")
            }
            guard let boundValue = Validation.parseFloat(bound.value) else {
                throw cursor.error(at: column, "invalid \(boundName) value \"\(bound.value)\"")
            }
            let seriesLabels = labels.filter { $0.name != boundName }
            let series = seriesIndex(familyIndex: index, labels: seriesLabels)
            switch families[index].metrics[series].value {
            case .histogram(var histogram):
                histogram.buckets.append(.init(upperBound: boundValue, cumulativeCount: value))
                families[index].metrics[series].value = .histogram(histogram)
            case .summary(var summary):
                summary.quantiles.append(.init(quantile: boundValue, value: value))
                families[index].metrics[series].value = .summary(summary)
            case .sample:
                break
            }
        case (.histogram, .sum), (.summary, .sum), (.histogram, .count), (.summary, .count):
            // The bound label names a bucket or quantile; on _sum and _count it would be written
            // back twice (client_golang rejects it as reserved too).
            let boundName = type == .histogram ? "le" : "quantile"
            guard !labels.contains(where: { $0.name == boundName }) else {
                throw cursor.error(
                    at: column, "\(type.rawValue) sample \"\(sampleName)\" must not have a \"\(boundName)\" label")
            }
            let series = seriesIndex(familyIndex: index, labels: labels)
            switch families[index].metrics[series].value {
            case .histogram(var histogram):
                if role == .sum { histogram.sum = value } else { histogram.count = value }
                families[index].metrics[series].value = .histogram(histogram)
            case .summary(var summary):
                if role == .sum { summary.sum = value } else { summary.count = value }
                families[index].metrics[series].value = .summary(summary)
            case .sample:
                break
            }
        case (.histogram, .plain):
            throw cursor.error(
                at: column,
                "sample \"\(sampleName)\" of histogram \"\(familyName)\" needs a _bucket, _sum or _count suffix")
        default:
            families[index].metrics.append(Metric(labels: labels, value))
        }
    }

    enum Role { case plain, bucket, sum, count }

    /// Finds which family a sample name belongs to: a histogram's `_bucket`, `_sum` and
    /// `_count` samples and a summary's `_sum` and `_count` samples fold into the base family.
    /// A family declared under the sample's own name comes first, as in client_golang's parser:
    /// otherwise `h_bucket` lines after `# TYPE h_bucket untyped` would join a histogram `h`
    /// when they come before its TYPE line, and the written text would not parse back the same.
    func resolve(_ sampleName: String) -> (String, Role) {
        if indexByName[sampleName] != nil { return (sampleName, .plain) }
        for (suffix, role) in [("_bucket", Role.bucket), ("_sum", .sum), ("_count", .count)]
        where sampleName.hasSuffix(suffix) {
            let base = String(sampleName.dropLast(suffix.count))
            if let index = indexByName[base] {
                let type = families[index].type
                if type == .histogram || (type == .summary && role != .bucket) {
                    return (base, role)
                }
            }
        }
        return (sampleName, .plain)
    }

    mutating func familyIndex(_ name: String, type: MetricType?) -> Int {
        if let index = indexByName[name] { return index }
        families.append(MetricFamily(name: name, help: "", type: type ?? .untyped))
        indexByName[name] = families.count - 1
        return families.count - 1
    }

    mutating func seriesIndex(familyIndex: Int, labels: [Label]) -> Int {
        let name = families[familyIndex].name
        let key = labels.sorted { $0.name < $1.name }
        if let existing = compositeSeries[name]?[key] { return existing }
        let value: MetricValue =
            families[familyIndex].type == .histogram
            ? .histogram(Histogram(buckets: [], sum: 0, count: 0))
            : .summary(Summary(quantiles: [], sum: 0, count: 0))
        families[familyIndex].metrics.append(Metric(labels: labels, value: value))
        let index = families[familyIndex].metrics.count - 1
        compositeSeries[name, default: [:]][key] = index
        return index
    }

    func finish() throws(TextFormatError) -> TextFormatParser.Result {
        // A family that only had HELP/TYPE lines is kept; client_golang keeps it too.
        TextFormatParser.Result(families: families, hasTimestamps: hasTimestamps)
    }
}

/// A position inside one line.
private struct Cursor {
    let bytes: UnsafeBufferPointer<UInt8>
    let line: Int
    var offset = 0

    init(bytes: UnsafeBufferPointer<UInt8>, line: Int) {
        self.bytes = bytes
        self.line = line
    }

    var atEnd: Bool { offset >= bytes.count || bytes[offset] == UInt8(ascii: "\r") && offset == bytes.count - 1 }
    var peek: UInt8? { offset < bytes.count ? bytes[offset] : nil }
    var column: Int { offset + 1 }

    mutating func advance() { offset += 1 }

    mutating func skipBlanks() {
        while let byte = peek, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { offset += 1 }
    }

    /// Reads up to the next blank.
    mutating func readWord() -> String {
        let start = offset
        while let byte = peek, byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t"), byte != UInt8(ascii: "\r") {
            offset += 1
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
    }

    /// Reads a metric name, which ends at a blank or `{`.
    mutating func readName() -> String {
        let start = offset
        while let byte = peek, byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t"), byte != UInt8(ascii: "{") {
            offset += 1
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
    }

    /// Reads the rest of a HELP line, undoing `\\` and `\n`.
    mutating func readEscapedRest() throws(TextFormatError) -> String {
        var output: [UInt8] = []
        var end = bytes.count
        // Carriage returns before the line end are line-ending noise (CRLF files), all of them:
        // kept, they would be written back raw and eaten on the next read.
        while end > offset, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        while offset < end {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\\"), offset + 1 < end {
                let next = bytes[offset + 1]
                switch next {
                case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "n"): output.append(UInt8(ascii: "\n"))
                default:
                    throw error(
                        at: offset + 1, "invalid escape sequence \"\\\(Character(Unicode.Scalar(next)))\" in HELP text")
                }
                offset += 2
                continue
            }
            output.append(byte)
            offset += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Reads `name="value",...}` after the opening brace.
    mutating func readLabels() throws(TextFormatError) -> [Label] {
        var labels: [Label] = []
        while true {
            skipBlanks()
            guard let byte = peek else { throw error(at: column, "unterminated label set, expected \"}\"") }
            if byte == UInt8(ascii: "}") {
                advance()
                return labels
            }
            let nameColumn = column
            let nameStart = offset
            while let byte = peek, byte != UInt8(ascii: "="), byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t") {
                offset += 1
            }
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<offset]), as: UTF8.self)
            guard Validation.isLabelName(name) else {
                throw error(at: nameColumn, "invalid label name \"\(name)\", expected [a-zA-Z_][a-zA-Z0-9_]*")
            }
            skipBlanks()
            guard peek == UInt8(ascii: "=") else {
                throw error(at: column, "expected \"=\" after label name \"\(name)\"")
            }
            advance()
            skipBlanks()
            guard peek == UInt8(ascii: "\"") else {
                throw error(at: column, "expected a quoted value for label \"\(name)\"")
            }
            advance()
            var value: [UInt8] = []
            var closed = false
            while let byte = peek {
                offset += 1
                if byte == UInt8(ascii: "\"") {
                    closed = true
                    break
                }
                if byte == UInt8(ascii: "\\") {
                    guard let next = peek else { break }
                    offset += 1
                    switch next {
                    case UInt8(ascii: "\\"): value.append(UInt8(ascii: "\\"))
                    case UInt8(ascii: "\""): value.append(UInt8(ascii: "\""))
                    case UInt8(ascii: "n"): value.append(UInt8(ascii: "\n"))
                    default:
                        throw error(at: offset - 1, "invalid escape sequence in the value of label \"\(name)\"")
                    }
                    continue
                }
                value.append(byte)
            }
            guard closed else { throw error(at: column, "unterminated value of label \"\(name)\"") }
            if labels.contains(where: { $0.name == name }) {
                throw error(at: nameColumn, "label \"\(name)\" appears twice in one sample")
            }
            labels.append(Label(name, String(decoding: value, as: UTF8.self)))
            skipBlanks()
            if peek == UInt8(ascii: ",") {
                advance()
            } else if peek != UInt8(ascii: "}") {
                throw error(at: column, "expected \",\" or \"}\" after the value of label \"\(name)\"")
            }
        }
    }

    func error(at column: Int, _ message: String) -> TextFormatError {
        TextFormatError(line: line, column: column, message: message)
    }
}

/// Name and number rules shared by the parser.
enum Validation {
    static func isMetricName(_ name: String) -> Bool {
        guard let first = name.utf8.first else { return false }
        guard isLetter(first) || first == UInt8(ascii: "_") || first == UInt8(ascii: ":") else { return false }
        return name.utf8.allSatisfy {
            isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ":")
        }
    }

    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first else { return false }
        guard isLetter(first) || first == UInt8(ascii: "_") else { return false }
        return name.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    /// Go's `ParseFloat` spellings: decimal and e-notation, `Inf`/`+Inf`/`-Inf`, `NaN`.
    static func parseFloat(_ text: String) -> Double? {
        switch text.lowercased() {
        case "+inf", "inf", "+infinity", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default:
            guard let first = text.utf8.first,
                isDigit(first) || first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
            else { return nil }
            return Double(text)
        }
    }

    @inline(__always) static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
}
