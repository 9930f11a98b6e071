import VitalsDocuments

/// A stack file made from a compose project, line by line, each with the reason it was written.
public struct ImportedStack: Sendable {
    public struct Line: Sendable {
        /// The `# why` comment lines above the line.
        var comments: [String]
        var text: String
        /// Levels below the service's keys (a probe under `probes:` is 1).
        var indent = 0
    }

    public struct Service: Sendable {
        var name: String
        var comments: [String]
        var lines: [Line]
    }

    var header: [String]
    var name: String
    var hosts: Line?
    public var services: [Service]
    /// What could not be carried over, for the user and for the end of the file.
    public var notes: [ComposeNote]

    /// The stack file's text.
    public var text: String {
        var output = header.map { "# " + StackText.comment($0) }.joined(separator: "\n") + "\n"
        output += "name: \(name)\n"
        if let hosts {
            for comment in hosts.comments { output += "# \(StackText.comment(comment))\n" }
            output += hosts.text + "\n"
        }
        output += "services:\n"
        for service in services {
            for comment in service.comments { output += "  # \(StackText.comment(comment))\n" }
            output += "  \(StackText.key(service.name)):\n"
            for line in service.lines {
                let pad = "    " + String(repeating: "  ", count: line.indent)
                for comment in line.comments { output += "\(pad)# \(StackText.comment(comment))\n" }
                output += "\(pad)\(line.text)\n"
            }
        }
        if !notes.isEmpty {
            output += "# Not carried over from the compose files:\n"
            for note in notes { output += "# - \(StackText.comment(note.description))\n" }
        }
        return output
    }
}

/// Scalars and lists written so that the stack file reads them back exactly.
enum StackText {
    static func key(_ text: String) -> String { plainSafe(text) ? text : quoted(text) }

    static func scalar(_ text: String) -> String { plainSafe(text) ? text : quoted(text) }

    /// Text from the compose files on one comment line: line breaks and other control characters
    /// written as escapes, so that they cannot end the comment.
    static func comment(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += " "
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0x85
                {
                    output += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }

    static func list(_ items: [String]) -> String { "[" + items.map(quoted).joined(separator: ", ") + "]" }

    static func quoted(_ text: String) -> String { YAMLNode.quoted(text) }

    private static func plainSafe(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter || first == "/" else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || "-_./".contains($0) }
            && !["true", "false", "null", "yes", "no", "on", "off"].contains(text.lowercased())
    }
}
