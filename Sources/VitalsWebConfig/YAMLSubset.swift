import VitalsSystem

/// A position in a text file, 1-based, for error messages.
public struct TextPosition: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public var description: String { "line \(line), column \(column)" }
}

/// A parsed YAML value with where it came from.
indirect enum YAMLSubsetNode: Sendable {
    case scalar(String, quoted: Bool, TextPosition)
    case mapping([(key: String, keyPosition: TextPosition, value: YAMLSubsetNode)], TextPosition)
    case sequence([YAMLSubsetNode], TextPosition)
    case null(TextPosition)

    var position: TextPosition {
        switch self {
        case .scalar(_, _, let position), .mapping(_, let position), .sequence(_, let position), .null(let position):
            position
        }
    }
}

/// The block-style subset of YAML that configuration files such as exporter-toolkit's web config
/// use: nested mappings, `- ` sequences, `[a, b]` flow sequences, plain and quoted scalars and
/// comments. The exporter cannot use Yams, which links Foundation, so it reads these itself.
/// Anchors, tags, multi-line scalars and multiple documents are rejected with a clear error.
struct YAMLSubsetParser {
    /// The file the text came from, for error messages.
    let file: String
    private struct Line {
        var number: Int
        var indent: Int
        var text: Substring  // without indentation and trailing comment
    }

    private var lines: [Line] = []
    private var index = 0

    init(_ text: String, file: String) {
        self.file = file
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var line = raw
            if line.hasSuffix("\r") { line = line.dropLast() }
            let stripped = Self.stripComment(line)
            let indent = stripped.prefix { $0 == " " }.count
            let content = stripped.dropFirst(indent)
            if content.trimmingTrailingSpaces().isEmpty || content == "---" { continue }
            lines.append(Line(number: number, indent: indent, text: content.trimmingTrailingSpaces()))
        }
    }

    /// Parses the whole document.
    mutating func parse() throws(SourceError) -> YAMLSubsetNode {
        guard let first = lines.first else { return .null(TextPosition(line: 1, column: 1)) }
        if first.text.hasPrefix("\t") || lines.contains(where: { $0.text.hasPrefix("\t") }) {
            let bad = lines.first { $0.text.hasPrefix("\t") }!
            throw SourceError(
                file: file,
                position: TextPosition(line: bad.number, column: bad.indent + 1),
                message: "tabs are not allowed for indentation")
        }
        let node = try parseBlock(indent: first.indent)
        if index < lines.count {
            let line = lines[index]
            throw SourceError(
                file: file,
                position: TextPosition(line: line.number, column: line.indent + 1),
                message: "unexpected indentation; expected a key at column \(first.indent + 1)")
        }
        return node
    }

    private mutating func parseBlock(indent: Int) throws(SourceError) -> YAMLSubsetNode {
        let line = lines[index]
        if line.text.hasPrefix("- ") || line.text == "-" {
            return try parseSequence(indent: indent)
        }
        return try parseMapping(indent: indent)
    }

    private mutating func parseSequence(indent: Int) throws(SourceError) -> YAMLSubsetNode {
        let start = TextPosition(line: lines[index].number, column: indent + 1)
        var items: [YAMLSubsetNode] = []
        while index < lines.count, lines[index].indent == indent,
            lines[index].text.hasPrefix("- ") || lines[index].text == "-"
        {
            let line = lines[index]
            let rest = line.text.dropFirst(1).drop { $0 == " " }
            let itemColumn = indent + (line.text.count - rest.count)
            if rest.isEmpty {
                index += 1
                if index < lines.count, lines[index].indent > indent {
                    items.append(try parseBlock(indent: lines[index].indent))
                } else {
                    items.append(.null(TextPosition(line: line.number, column: itemColumn + 1)))
                }
            } else if Self.mappingKey(rest) != nil {
                // `- key: value` starts a mapping whose keys align with `key`.
                lines[index].indent = itemColumn
                lines[index].text = rest
                items.append(try parseMapping(indent: itemColumn))
            } else {
                index += 1
                items.append(try scalar(rest, position: TextPosition(line: line.number, column: itemColumn + 1)))
            }
        }
        return .sequence(items, start)
    }

    private mutating func parseMapping(indent: Int) throws(SourceError) -> YAMLSubsetNode {
        let start = TextPosition(line: lines[index].number, column: indent + 1)
        var entries: [(key: String, keyPosition: TextPosition, value: YAMLSubsetNode)] = []
        while index < lines.count, lines[index].indent == indent {
            let line = lines[index]
            let position = TextPosition(line: line.number, column: indent + 1)
            guard let (rawKey, rest) = Self.mappingKey(line.text) else {
                if line.text.hasPrefix("- ") {
                    throw SourceError(file: file, position: position, message: "a list item where a key was expected")
                }
                throw SourceError(file: file, position: position, message: "expected \"key: value\"")
            }
            let key = try scalarText(rawKey, position: position)
            if entries.contains(where: { $0.key == key }) {
                throw SourceError(file: file, position: position, message: "duplicate key \"\(key)\"")
            }
            index += 1
            let value: YAMLSubsetNode
            if rest.isEmpty {
                if index < lines.count, lines[index].indent > indent {
                    value = try parseBlock(indent: lines[index].indent)
                } else if index < lines.count, lines[index].indent == indent,
                    lines[index].text.hasPrefix("- ")
                {
                    value = try parseSequence(indent: indent)
                } else {
                    value = .null(position)
                }
            } else {
                let valueColumn = indent + (line.text.count - rest.count) + 1
                value = try scalar(rest, position: TextPosition(line: line.number, column: valueColumn))
            }
            entries.append((key, position, value))
        }
        if index < lines.count, lines[index].indent > indent {
            let line = lines[index]
            throw SourceError(
                file: file,
                position: TextPosition(line: line.number, column: line.indent + 1),
                message: "unexpected indentation")
        }
        return .mapping(entries, start)
    }

    /// Splits `key: rest` at the first `: ` (or a trailing `:`) outside quotes.
    private static func mappingKey(_ text: Substring) -> (Substring, Substring)? {
        var quote: Character?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                if index == text.startIndex { quote = character }
            } else if character == ":" {
                let next = text.index(after: index)
                if next == text.endIndex || text[next] == " " {
                    let rest = next == text.endIndex ? Substring("") : text[next...].drop { $0 == " " }
                    return (text[..<index].trimmingTrailingSpaces(), rest)
                }
            }
            index = text.index(after: index)
        }
        return nil
    }

    private func scalar(_ text: Substring, position: TextPosition) throws(SourceError) -> YAMLSubsetNode {
        if text.hasPrefix("[") {
            guard text.hasSuffix("]") else {
                throw SourceError(file: file, position: position, message: "unterminated flow sequence")
            }
            let inner = text.dropFirst().dropLast()
            if inner.allSatisfy({ $0 == " " }) { return .sequence([], position) }
            var items: [YAMLSubsetNode] = []
            for part in inner.split(separator: ",", omittingEmptySubsequences: false) {
                let trimmed = part.drop { $0 == " " }.trimmingTrailingSpaces()
                items.append(
                    .scalar(
                        try scalarText(trimmed, position: position),
                        quoted: trimmed.first == "\"" || trimmed.first == "'", position))
            }
            return .sequence(items, position)
        }
        if text == "{}" { return .mapping([], position) }
        if text.hasPrefix("{") || text.hasPrefix("&") || text.hasPrefix("*") || text.hasPrefix("!")
            || text.hasPrefix("|")
            || text.hasPrefix(">")
        {
            throw SourceError(
                file: file,
                position: position,
                message: "this YAML feature (\(text.first!)) is not supported in this file; use plain block style")
        }
        if text == "~" || text == "null" { return .null(position) }
        return .scalar(
            try scalarText(text, position: position), quoted: text.first == "\"" || text.first == "'", position)
    }

    private func scalarText(_ text: Substring, position: TextPosition) throws(SourceError) -> String {
        if text.hasPrefix("\"") {
            guard text.count >= 2, text.hasSuffix("\"") else {
                throw SourceError(file: file, position: position, message: "unterminated double-quoted string")
            }
            var output = ""
            var escaped = false
            for character in text.dropFirst().dropLast() {
                if escaped {
                    switch character {
                    case "n": output.append("\n")
                    case "t": output.append("\t")
                    case "\\", "\"", "/": output.append(character)
                    default:
                        throw SourceError(file: file, position: position, message: "unsupported escape \\\(character)")
                    }
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else {
                    output.append(character)
                }
            }
            return output
        }
        if text.hasPrefix("'") {
            guard text.count >= 2, text.hasSuffix("'") else {
                throw SourceError(file: file, position: position, message: "unterminated single-quoted string")
            }
            return String(text.dropFirst().dropLast()).replacingAll("''", with: "'")
        }
        return String(text)
    }

    /// Removes a `#` comment that starts the line or follows a space, outside quotes.
    private static func stripComment(_ line: Substring) -> Substring {
        var quote: Character?
        var previous: Character = " "
        for index in line.indices {
            let character = line[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                if previous == " " || previous == ":" || previous == "[" || previous == "," || previous == "-" {
                    quote = character
                }
            } else if character == "#", previous == " " || previous == "\t" {
                return line[..<index]
            }
            previous = character
        }
        return line
    }
}

extension Substring {
    fileprivate func trimmingTrailingSpaces() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " || self[index(before: end)] == "\t" {
            end = index(before: end)
        }
        return self[startIndex..<end]
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
