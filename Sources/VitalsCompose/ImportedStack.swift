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
        var output = header.map { "# " + $0 }.joined(separator: "\n") + "\n"
        output += "name: \(name)\n"
        if let hosts {
            for comment in hosts.comments { output += "# \(comment)\n" }
            output += hosts.text + "\n"
        }
        output += "services:\n"
        for service in services {
            for comment in service.comments { output += "  # \(comment)\n" }
            output += "  \(StackText.key(service.name)):\n"
            for line in service.lines {
                let pad = "    " + String(repeating: "  ", count: line.indent)
                for comment in line.comments { output += "\(pad)# \(comment)\n" }
                output += "\(pad)\(line.text)\n"
            }
        }
        if !notes.isEmpty {
            output += "# Not carried over from the compose files:\n"
            for note in notes { output += "# - \(note.description)\n" }
        }
        return output
    }
}

/// Scalars and lists written so that the stack file reads them back exactly.
enum StackText {
    static func key(_ text: String) -> String { plainSafe(text) ? text : quoted(text) }

    static func scalar(_ text: String) -> String { plainSafe(text) ? text : quoted(text) }

    static func list(_ items: [String]) -> String { "[" + items.map(quoted).joined(separator: ", ") + "]" }

    static func quoted(_ text: String) -> String {
        var output = "\""
        for character in text {
            switch character {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            default: output.append(character)
            }
        }
        return output + "\""
    }

    private static func plainSafe(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter || first == "/" else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || "-_./".contains($0) }
            && !["true", "false", "null", "yes", "no", "on", "off"].contains(text.lowercased())
    }
}
