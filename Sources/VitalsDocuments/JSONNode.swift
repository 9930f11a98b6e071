/// A JSON document built in code and written the same way every time: object keys sorted,
/// two-space indentation, integers without a fraction.
public indirect enum JSONNode: Sendable, Hashable {
    case string(String)
    case integer(Int)
    case number(Double)
    case boolean(Bool)
    case null
    case array([JSONNode])
    case object([String: JSONNode])

    /// The document's text, indented, ending in a newline: for files people read and diff.
    public var text: String {
        var output = ""
        write(to: &output, indent: 0)
        return output + "\n"
    }

    /// The document on one line, ending in a newline: for HTTP answers.
    public var compactText: String {
        var output = ""
        write(to: &output, indent: nil)
        return output + "\n"
    }

    /// Writes the value; `indent` nil means on one line.
    private func write(to output: inout String, indent: Int?) {
        switch self {
        case .string(let text): output += Self.quoted(text)
        case .integer(let value): output += String(value)
        case .number(let value):
            output += NumberText.shortest(value)
        case .boolean(let value): output += value ? "true" : "false"
        case .null: output += "null"
        case .array(let items):
            guard !items.isEmpty else {
                output += "[]"
                return
            }
            output += "["
            for (index, item) in items.enumerated() {
                output += Self.newline(indent.map { $0 + 2 })
                item.write(to: &output, indent: indent.map { $0 + 2 })
                if index < items.count - 1 { output += "," }
            }
            output += Self.newline(indent) + "]"
        case .object(let entries):
            guard !entries.isEmpty else {
                output += "{}"
                return
            }
            output += "{"
            let keys = entries.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                output += Self.newline(indent.map { $0 + 2 }) + Self.quoted(key) + (indent == nil ? ":" : ": ")
                entries[key]!.write(to: &output, indent: indent.map { $0 + 2 })
                if index < keys.count - 1 { output += "," }
            }
            output += Self.newline(indent) + "}"
        }
    }

    /// A line break and indentation, or nothing on one line.
    private static func newline(_ indent: Int?) -> String {
        indent.map { "\n" + String(repeating: " ", count: $0) } ?? ""
    }

    public static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            case "\r": output += "\\r"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }

    /// The member of an object, or nil.
    public subscript(key: String) -> JSONNode? {
        if case .object(let entries) = self { return entries[key] }
        return nil
    }
}

extension JSONNode: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(arrayLiteral elements: JSONNode...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONNode)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
