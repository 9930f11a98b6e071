/// A YAML document built in code, written the same way every time: mapping keys sorted, block
/// style, strings quoted exactly when YAML (and Go's yaml.v2, which Prometheus and Alertmanager
/// use) would otherwise read them as something else.
public indirect enum YAMLNode: Sendable, Hashable {
    case string(String)
    case integer(Int)
    case number(Double)
    case boolean(Bool)
    case list([YAMLNode])
    case mapping([String: YAMLNode])

    /// The document's text, after `comments` (each written as a `# ` line).
    public func document(comments: [String] = []) -> String {
        var output = comments.map { "# \($0)\n" }.joined()
        write(to: &output, indent: 0, context: .root)
        if !output.hasSuffix("\n") { output += "\n" }
        return output
    }

    private enum Context {
        case root, mappingValue, listItem
    }

    private var isCollection: Bool {
        switch self {
        case .list(let items): !items.isEmpty
        case .mapping(let entries): !entries.isEmpty
        default: false
        }
    }

    private func write(to output: inout String, indent: Int, context: Context) {
        switch self {
        case .mapping(let entries) where !entries.isEmpty:
            var first = true
            for key in entries.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                let value = entries[key]!
                // A mapping that is a list item starts on the dash's line.
                if !(first && context == .listItem) { Self.pad(&output, indent) }
                first = false
                Self.appendScalar(key, to: &output)
                output += ":"
                if value.isCollection {
                    output += "\n"
                    if case .list = value {
                        value.write(to: &output, indent: indent, context: .mappingValue)
                    } else {
                        value.write(to: &output, indent: indent + 2, context: .mappingValue)
                    }
                } else {
                    output += " "
                    value.write(to: &output, indent: indent, context: .mappingValue)
                    output += "\n"
                }
            }
        case .list(let items) where !items.isEmpty:
            for item in items {
                Self.pad(&output, indent)
                output += "- "
                if item.isCollection {
                    if case .list = item {
                        output += "\n"
                        item.write(to: &output, indent: indent + 2, context: .mappingValue)
                    } else {
                        item.write(to: &output, indent: indent + 2, context: .listItem)
                    }
                } else {
                    item.write(to: &output, indent: indent + 2, context: .listItem)
                    output += "\n"
                }
            }
        case .mapping: output += "{}"
        case .list: output += "[]"
        case .string(let text): Self.appendScalar(text, to: &output)
        case .integer(let value): output += String(value)
        case .number(let value): output += NumberText.shortest(value)
        case .boolean(let value): output += value ? "true" : "false"
        }
    }

    private static func pad(_ output: inout String, _ indent: Int) {
        for _ in 0..<indent { output += " " }
    }

    /// A string as a plain scalar when that reads back as the same string, else double-quoted.
    static func scalar(_ text: String) -> String {
        var output = ""
        appendScalar(text, to: &output)
        return output
    }

    /// ``scalar(_:)`` appended in place: the provisioner writes every key and value through it,
    /// tens of thousands per large stack, so it makes no intermediate strings.
    private static func appendScalar(_ text: String, to output: inout String) {
        if needsQuotes(text) {
            appendQuoted(text, to: &output)
        } else {
            output += text
        }
    }

    /// Whether `text` must be quoted: one pass over its bytes. Plain scalars are limited to ASCII
    /// letters, digits and `_-./:@ ()=<>$`, so anything else (and every non-ASCII string) is quoted.
    static func needsQuotes(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let first = bytes.first, let last = bytes.last else { return true }
        if first == UInt8(ascii: " ") || last == UInt8(ascii: " ") || last == UInt8(ascii: ":") { return true }
        // Anything that starts like a number, sign or indicator is quoted: YAML 1.1 reads 0x1F,
        // 1_000, 1:20 and 1e3 as numbers.
        // `@` and `` ` `` are reserved indicators, `>` starts a folded block and `:` a value.
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "@"), UInt8(ascii: ">"), UInt8(ascii: ":"):
            return true
        default: break
        }
        var previous: UInt8 = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "("), UInt8(ascii: ")"),
                UInt8(ascii: "="), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "$"):
                break
            case UInt8(ascii: " "):
                // ": " starts a mapping value inside a plain scalar.
                if previous == UInt8(ascii: ":") { return true }
            default:
                return true
            }
            previous = byte
        }
        return bytes.count <= 5 && isReserved(bytes)
    }

    /// YAML 1.1's booleans and nulls (in any case), its special floats, its value key `=`, which
    /// PyYAML's safe loader refuses as a plain scalar, and its merge key `<<`.
    private static func isReserved(_ bytes: String.UTF8View) -> Bool {
        let lowered = String(decoding: bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
        switch lowered {
        case "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ".inf", "-.inf", ".nan", "=", "<<":
            return true
        default:
            return false
        }
    }

    /// A double-quoted YAML scalar that reads back as `text`: control characters, and the
    /// characters YAML takes for line breaks or a byte-order mark (NEL, LS, PS, BOM), escaped.
    public static func quoted(_ text: String) -> String {
        var output = ""
        appendQuoted(text, to: &output)
        return output
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    private static func appendQuoted(_ text: String, to output: inout String) {
        output += "\""
        // Most quoted strings are ASCII (PromQL, descriptions): escaped byte by byte into one
        // buffer. Only other text is walked by Unicode scalar, for YAML's special line breaks.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            var escaped: [UInt8] = []
            escaped.reserveCapacity(text.utf8.count + 8)
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""): escaped += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
                case UInt8(ascii: "\\"): escaped += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
                case UInt8(ascii: "\n"): escaped += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case UInt8(ascii: "\t"): escaped += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                case 0..<0x20, 0x7F:
                    escaped += [UInt8(ascii: "\\"), UInt8(ascii: "x"), hexDigit(byte >> 4), hexDigit(byte & 0xF)]
                default: escaped.append(byte)
                }
            }
            output += String(decoding: escaped, as: UTF8.self)
            output += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    output += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else if scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF {
                    output += "\\u" + String(scalar.value, radix: 16)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}

extension YAMLNode: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(arrayLiteral elements: YAMLNode...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, YAMLNode)...) {
        self = .mapping(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
