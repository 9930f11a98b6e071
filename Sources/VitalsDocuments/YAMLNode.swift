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
        let pad = String(repeating: " ", count: indent)
        switch self {
        case .mapping(let entries) where !entries.isEmpty:
            var first = true
            for key in entries.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                let value = entries[key]!
                // A mapping that is a list item starts on the dash's line.
                let prefix = (first && context == .listItem) ? "" : pad
                first = false
                output += prefix + Self.scalar(key) + ":"
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
                output += pad + "- "
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
        case .string(let text): output += Self.scalar(text)
        case .integer(let value): output += String(value)
        case .number(let value): output += NumberText.shortest(value)
        case .boolean(let value): output += value ? "true" : "false"
        }
    }

    /// A string as a plain scalar when that reads back as the same string, else double-quoted.
    static func scalar(_ text: String) -> String {
        needsQuotes(text) ? quoted(text) : text
    }

    static func needsQuotes(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return true }
        let reserved: Set<String> = [
            "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ".inf", "-.inf", ".nan",
            // YAML 1.1's value key, which PyYAML's safe loader refuses as a plain scalar.
            "=",
        ]
        if reserved.contains(text.lowercased()) { return true }
        if first == " " || last == " " || last == ":" { return true }
        // Anything that starts like a number, sign or indicator is quoted: YAML 1.1 reads 0x1F,
        // 1_000, 1:20 and 1e3 as numbers.
        if "0123456789+-.".unicodeScalars.contains(first) { return true }
        let plain = text.unicodeScalars.allSatisfy { scalar in
            (scalar.value >= 0x30 && scalar.value <= 0x39) || (scalar.value >= 0x41 && scalar.value <= 0x5A)
                || (scalar.value >= 0x61 && scalar.value <= 0x7A) || "_-./:@ ()=<>$".unicodeScalars.contains(scalar)
        }
        if !plain { return true }
        return text.contains(": ") || text.contains(" #")
    }

    /// A double-quoted YAML scalar that reads back as `text`: control characters, and the
    /// characters YAML takes for line breaks or a byte-order mark (NEL, LS, PS, BOM), escaped.
    public static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    output += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else if [0x2028, 0x2029, 0xFEFF].contains(scalar.value) {
                    output += "\\u" + String(scalar.value, radix: 16)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
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
