/// A regular expression with Go's RE2 syntax and `MatchString` semantics, for the include and
/// exclude flags node_exporter users already have in their command lines.
///
/// Swift's `Regex` matches grapheme clusters, pulls in a large runtime, and differs from RE2 in
/// small ways; this matcher works on UTF-8 bytes, as Go does, and supports what filters use:
/// literals, `.`, classes (`[a-z0-9_]`, `[^...]`, `\d \w \s` and negations), anchors (`^ $ \A \z \b`),
/// groups (`(…)`, `(?:…)`), alternation, the quantifiers `* + ? {n} {n,} {n,m}` (also lazy) and
/// the `(?i)` flag. Anything else is rejected at compile time with the position, so an
/// operator learns at start-up rather than from a silently wrong filter.
public struct GoRegex: Sendable, CustomStringConvertible {
    public let pattern: String
    private let program: Program
    private let anchoredStart: Bool

    public var description: String { pattern }

    public init(_ pattern: String) throws(GoRegexError) {
        self.pattern = pattern
        var parser = Parser(Array(pattern.utf8))
        let root = try parser.parseAll()
        if case .concat(let nodes) = root, case .beginText = nodes.first {
            anchoredStart = true
        } else if case .beginText = root {
            anchoredStart = true
        } else {
            anchoredStart = false
        }
        do {
            program = try Program(root)
        } catch {
            throw GoRegexError(pattern: pattern, offset: 0, message: "expression too large")
        }
    }

    /// Whether the pattern matches anywhere in `text` (Go's `MatchString`).
    public func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { program.run($0, search: true, anchoredStart: anchoredStart) }
    }

    /// Whether the pattern matches all of `text`.
    public func wholeMatches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { program.run($0, search: false, anchoredStart: true) }
    }

    indirect enum Node: Sendable {
        case empty
        case byteSet(ByteSet, rune: Bool)
        case beginText, endText, beginLine, endLine
        case wordBoundary(negated: Bool)
        case concat([Node])
        case alternate([Node])
        case repeated(Node, min: Int, max: Int?, greedy: Bool)
    }

    /// A set of bytes; a set marked `rune` also consumes the continuation bytes of a UTF-8 sequence.
    struct ByteSet: Sendable {
        var bits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

        mutating func insert(_ byte: UInt8) {
            let word = Int(byte) >> 6
            let bit = UInt64(1) << UInt64(byte & 63)
            switch word {
            case 0: bits.0 |= bit
            case 1: bits.1 |= bit
            case 2: bits.2 |= bit
            default: bits.3 |= bit
            }
        }

        func contains(_ byte: UInt8) -> Bool {
            let bit = UInt64(1) << UInt64(byte & 63)
            switch Int(byte) >> 6 {
            case 0: return bits.0 & bit != 0
            case 1: return bits.1 & bit != 0
            case 2: return bits.2 & bit != 0
            default: return bits.3 & bit != 0
            }
        }

        mutating func insert(_ range: ClosedRange<UInt8>) { for byte in range { insert(byte) } }

        mutating func formUnion(_ other: ByteSet) {
            bits.0 |= other.bits.0
            bits.1 |= other.bits.1
            bits.2 |= other.bits.2
            bits.3 |= other.bits.3
        }

        func inverted() -> ByteSet {
            var result = ByteSet()
            result.bits = (~bits.0, ~bits.1, ~bits.2, ~bits.3)
            return result
        }

        static func of(_ bytes: ClosedRange<UInt8>...) -> ByteSet {
            var set = ByteSet()
            for range in bytes { set.insert(range) }
            return set
        }

        static let digits = ByteSet.of(48...57)
        static let word = ByteSet.of(48...57, 65...90, 97...122, 95...95)
        static let space = ByteSet.of(9...10, 12...13, 32...32)
    }
}

/// A pattern that does not compile, with the byte offset of the problem.
public struct GoRegexError: Error, Sendable, CustomStringConvertible {
    public var pattern: String
    public var offset: Int
    public var message: String

    public var description: String { "invalid regular expression \"\(pattern)\" at offset \(offset): \(message)" }
}

private struct Parser {
    let pattern: [UInt8]
    var index = 0
    var caseInsensitive = false
    /// Groups open around the current position.
    var depth = 0
    static let maximumDepth = 1000

    init(_ pattern: [UInt8]) {
        self.pattern = pattern
    }

    func fail(_ message: String, at offset: Int? = nil) -> GoRegexError {
        GoRegexError(pattern: String(decoding: pattern, as: UTF8.self), offset: offset ?? index, message: message)
    }

    var peek: UInt8? { index < pattern.count ? pattern[index] : nil }

    mutating func parseAll() throws(GoRegexError) -> GoRegex.Node {
        let node = try parseAlternation()
        if index < pattern.count { throw fail("unexpected )") }
        return node
    }

    mutating func parseAlternation() throws(GoRegexError) -> GoRegex.Node {
        var options = [try parseConcatenation()]
        while peek == UInt8(ascii: "|") {
            index += 1
            options.append(try parseConcatenation())
        }
        return options.count == 1 ? options[0] : .alternate(options)
    }

    mutating func parseConcatenation() throws(GoRegexError) -> GoRegex.Node {
        var nodes: [GoRegex.Node] = []
        while let byte = peek, byte != UInt8(ascii: "|"), byte != UInt8(ascii: ")") {
            var atom = try parseAtom()
            atom = try parseQuantifiers(atom)
            nodes.append(atom)
        }
        if nodes.isEmpty { return .empty }
        return nodes.count == 1 ? nodes[0] : .concat(nodes)
    }

    mutating func parseQuantifiers(_ atom: GoRegex.Node) throws(GoRegexError) -> GoRegex.Node {
        var node = atom
        var quantified = false
        while let byte = peek {
            let start = index
            var minimum = 0
            var maximum: Int?
            switch byte {
            case UInt8(ascii: "*"): index += 1
            case UInt8(ascii: "+"):
                index += 1
                minimum = 1
            case UInt8(ascii: "?"):
                index += 1
                maximum = 1
            case UInt8(ascii: "{"):
                guard let (low, high) = try parseBraces() else { return node }
                minimum = low
                maximum = high
            default:
                return node
            }
            if quantified { throw fail("invalid nested repetition operator", at: start) }
            quantified = true
            var greedy = true
            if peek == UInt8(ascii: "?") {
                greedy = false
                index += 1
            }
            switch node {
            case .beginText, .endText, .beginLine, .endLine, .wordBoundary, .empty:
                throw fail("nothing to repeat", at: start)
            default:
                node = .repeated(node, min: minimum, max: maximum, greedy: greedy)
            }
        }
        return node
    }

    /// `{n}`, `{n,}`, `{n,m}`; nil (a literal brace, as in Go) when it is not one of those.
    mutating func parseBraces() throws(GoRegexError) -> (Int, Int?)? {
        let start = index
        index += 1
        func number() -> Int? {
            var value: Int?
            while let byte = peek, byte >= 48, byte <= 57 {
                // Saturate: any count past 1000 is refused below, and a long one must not overflow.
                value = min((value ?? 0) * 10 + Int(byte - 48), 1_000_000)
                index += 1
            }
            return value
        }
        guard let low = number() else {
            index = start
            return nil
        }
        var high: Int? = low
        if peek == UInt8(ascii: ",") {
            index += 1
            high = number()
        }
        guard peek == UInt8(ascii: "}") else {
            index = start
            return nil
        }
        index += 1
        if let high, high < low { throw fail("invalid repeat count", at: start) }
        if low > 1000 || (high ?? 0) > 1000 { throw fail("repeat count over 1000", at: start) }
        return (low, high)
    }

    mutating func parseAtom() throws(GoRegexError) -> GoRegex.Node {
        let start = index
        let byte = pattern[index]
        index += 1
        switch byte {
        case UInt8(ascii: "("):
            if peek == UInt8(ascii: "?") {
                index += 1
                if peek == UInt8(ascii: ":") {
                    index += 1
                } else if peek == UInt8(ascii: "i"), index + 1 < pattern.count, pattern[index + 1] == UInt8(ascii: ")")
                {
                    caseInsensitive = true
                    index += 2
                    return .empty
                } else if peek == UInt8(ascii: "P") || peek == UInt8(ascii: "<") {
                    // Named group: skip the name.
                    while let next = peek, next != UInt8(ascii: ">") { index += 1 }
                    guard peek == UInt8(ascii: ">") else { throw fail("unterminated group name", at: start) }
                    index += 1
                } else {
                    throw fail("unsupported group flag", at: start)
                }
            }
            // Go's limit, which also bounds this parser's recursion (and the compiler's) well
            // inside a thread's stack: found by fuzz-regex, 2,000 nested groups overflowed it.
            guard depth < Self.maximumDepth else { throw fail("expression nests too deeply", at: start) }
            depth += 1
            let inner = try parseAlternation()
            depth -= 1
            guard peek == UInt8(ascii: ")") else { throw fail("missing )", at: start) }
            index += 1
            return inner
        case UInt8(ascii: "["):
            return try parseClass(start: start)
        case UInt8(ascii: "."):
            return .byteSet(GoRegex.ByteSet.of(0...9, 11...255), rune: true)
        case UInt8(ascii: "^"):
            return .beginText
        case UInt8(ascii: "$"):
            return .endText
        case UInt8(ascii: "\\"):
            return try parseEscape(start: start)
        case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"):
            throw fail("missing argument to repetition operator", at: start)
        default:
            return literal(byte)
        }
    }

    func literal(_ byte: UInt8) -> GoRegex.Node {
        var set = GoRegex.ByteSet()
        set.insert(byte)
        if caseInsensitive { set.insert(Self.otherCase(byte)) }
        return .byteSet(set, rune: false)
    }

    static func otherCase(_ byte: UInt8) -> UInt8 {
        if byte >= 65, byte <= 90 { return byte + 32 }
        if byte >= 97, byte <= 122 { return byte - 32 }
        return byte
    }

    mutating func parseEscape(start: Int) throws(GoRegexError) -> GoRegex.Node {
        guard let byte = peek else { throw fail("trailing backslash", at: start) }
        index += 1
        switch byte {
        case UInt8(ascii: "d"): return .byteSet(.digits, rune: false)
        case UInt8(ascii: "D"): return .byteSet(GoRegex.ByteSet.digits.inverted(), rune: true)
        case UInt8(ascii: "w"): return .byteSet(.word, rune: false)
        case UInt8(ascii: "W"): return .byteSet(GoRegex.ByteSet.word.inverted(), rune: true)
        case UInt8(ascii: "s"): return .byteSet(.space, rune: false)
        case UInt8(ascii: "S"): return .byteSet(GoRegex.ByteSet.space.inverted(), rune: true)
        case UInt8(ascii: "A"): return .beginText
        case UInt8(ascii: "z"): return .endText
        case UInt8(ascii: "b"): return .wordBoundary(negated: false)
        case UInt8(ascii: "B"): return .wordBoundary(negated: true)
        case UInt8(ascii: "n"): return literal(0x0A)
        case UInt8(ascii: "t"): return literal(0x09)
        default:
            guard Self.isPunctuation(byte) else { throw fail("invalid escape sequence", at: start) }
            return literal(byte)
        }
    }

    static func isPunctuation(_ byte: UInt8) -> Bool {
        !(byte >= 48 && byte <= 57) && !(byte >= 65 && byte <= 90) && !(byte >= 97 && byte <= 122) && byte < 128
    }

    mutating func parseClass(start: Int) throws(GoRegexError) -> GoRegex.Node {
        var negated = false
        if peek == UInt8(ascii: "^") {
            negated = true
            index += 1
        }
        var set = GoRegex.ByteSet()
        var first = true
        while true {
            guard let byte = peek else { throw fail("missing closing ]", at: start) }
            if byte == UInt8(ascii: "]"), !first {
                index += 1
                break
            }
            first = false
            index += 1
            var low = byte
            if byte == UInt8(ascii: "\\") {
                guard let escaped = peek else { throw fail("trailing backslash", at: start) }
                index += 1
                switch escaped {
                case UInt8(ascii: "d"):
                    set.formUnion(.digits)
                    continue
                case UInt8(ascii: "w"):
                    set.formUnion(.word)
                    continue
                case UInt8(ascii: "s"):
                    set.formUnion(.space)
                    continue
                case UInt8(ascii: "n"): low = 0x0A
                case UInt8(ascii: "t"): low = 0x09
                default:
                    guard Self.isPunctuation(escaped) else { throw fail("invalid escape in class", at: index - 2) }
                    low = escaped
                }
            }
            if byte >= 0x80 { throw fail("non-ASCII characters in classes are not supported", at: index - 1) }
            if peek == UInt8(ascii: "-"), index + 1 < pattern.count, pattern[index + 1] != UInt8(ascii: "]") {
                index += 1
                var high = pattern[index]
                index += 1
                if high == UInt8(ascii: "\\"), let escaped = peek {
                    high = escaped
                    index += 1
                }
                guard low <= high else { throw fail("invalid character class range", at: index - 3) }
                for value in low...high {
                    set.insert(value)
                    if caseInsensitive { set.insert(Self.otherCase(value)) }
                }
            } else {
                set.insert(low)
                if caseInsensitive { set.insert(Self.otherCase(low)) }
            }
        }
        if negated {
            // Go's [^…] matches newline too, and whole runes.
            return .byteSet(set.inverted(), rune: true)
        }
        return .byteSet(set, rune: false)
    }
}
