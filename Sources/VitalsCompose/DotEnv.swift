/// The `.env` file compose reads beside the first compose file: `KEY=VALUE` lines, `#` comments,
/// an optional `export `, and single- or double-quoted values.
public enum DotEnv {
    public static func parse(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = raw.trimmingCharacters(in: " \t\r")
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: " \t") }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<equals]).trimmingCharacters(in: " \t")
            var value = String(line[line.index(after: equals)...]).trimmingCharacters(in: " \t")
            if let quote = value.first, quote == "\"" || quote == "'", let end = value.dropFirst().firstIndex(of: quote)
            {
                let inner = String(value[value.index(after: value.startIndex)..<end])
                value = quote == "\"" ? inner.replacingEscapes() : inner
            } else if let comment = value.firstRange(of: " #") {
                value = String(value[..<comment.lowerBound]).trimmingCharacters(in: " \t")
            }
            guard !key.isEmpty else { continue }
            values[key] = value
        }
        return values
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        let characters = Array(self)
        var start = 0
        var end = characters.count
        while start < end, set.contains(characters[start]) { start += 1 }
        while end > start, set.contains(characters[end - 1]) { end -= 1 }
        return String(characters[start..<end])
    }

    /// `\n` and `\"` in a double-quoted `.env` value.
    func replacingEscapes() -> String {
        var output = ""
        var escaped = false
        for character in self {
            if escaped {
                output.append(character == "n" ? "\n" : character == "t" ? "\t" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                output.append(character)
            }
        }
        return output
    }
}
