/// An `os-release(5)` file: shell-style `KEY=value` assignments.
public struct OSRelease: Sendable, Hashable {
    public var values: [String: String] = [:]
    public var malformedLines = 0

    public init() {}

    public subscript(key: String) -> String { values[key] ?? "" }

    /// Parses assignments, honouring single quotes, double quotes and backslash escapes.
    public static func parse(_ bytes: [UInt8]) -> OSRelease {
        var release = OSRelease()
        ByteText.forEachLine(bytes) { line in
            let text = ByteText.trimmedString(line)
            if text.isEmpty || text.hasPrefix("#") { return }
            guard let equals = text.firstIndex(of: "=") else {
                release.malformedLines += 1
                return
            }
            let key = String(text[text.startIndex..<equals])
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }),
                let value = unquote(text[text.index(after: equals)...])
            else {
                release.malformedLines += 1
                return
            }
            release.values[key] = value
        }
        return release
    }

    static func unquote(_ raw: Substring) -> String? {
        var output = ""
        var quote: Character?
        var escaped = false
        for character in raw {
            if escaped {
                output.append(character)
                escaped = false
                continue
            }
            switch character {
            case "\\" where quote != "'":
                escaped = true
            case "\"", "'":
                if quote == nil {
                    quote = character
                } else if quote == character {
                    quote = nil
                } else {
                    output.append(character)
                }
            default:
                output.append(character)
            }
        }
        return quote == nil ? output : nil
    }
}
