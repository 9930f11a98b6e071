import VitalsDuration
import VitalsStack
import VitalsSystem
import Yams

/// Walks a YAML tree and collects every error with its position, so that one run reports them all.
/// What each part of a stack file means is in the extensions beside it: services, probes,
/// alerting, dependencies.
struct YAMLTreeReader {
    let file: String
    var errors: [StackFileError] = []
    /// Where each service's `dependsOn` stands, to report a graph error there.
    var dependsOnMarks: [String: (line: Int, column: Int)] = [:]

    init(file: String) {
        self.file = file
    }

    mutating func fail(_ node: Node, _ message: String) {
        let mark = node.mark
        let error = StackFileError(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, message: message)
        // One error per place in the file: a mapping merged into several services
        // (`<<: *defaults`) is read once per service, and its mistakes are reported once, for the
        // first service that reads them, where they are written.
        if error.line > 0, errors.contains(where: { $0.line == error.line && $0.column == error.column }) { return }
        errors.append(error)
    }

    /// A mapping's entries, with unknown keys and duplicate keys reported.
    mutating func mapping(_ node: Node, _ what: String, allowed: [String]) -> [(
        key: String, keyNode: Node, value: Node
    )]? {
        guard let mapping = node.mapping else {
            fail(node, "\(what) must be a mapping (key: value), found \(describe(node))")
            return nil
        }
        var entries: [(String, Node, Node)] = []
        var seen: Set<String> = []
        var merges: [Node] = []
        for (keyNode, value) in mapping {
            if Self.isMergeKey(keyNode) {
                merges.append(value)
                continue
            }
            guard let key = keyNode.scalar?.string else {
                fail(keyNode, "keys in \(what) must be strings")
                continue
            }
            guard allowed.isEmpty || allowed.contains(key) else {
                fail(keyNode, "unknown key \"\(key)\" in \(what); expected one of: \(allowed.joined(separator: ", "))")
                continue
            }
            guard seen.insert(key).inserted else {
                fail(keyNode, "duplicate key \"\(key)\" in \(what)")
                continue
            }
            entries.append((key, keyNode, value))
        }
        // YAML merge keys, as compose files use them: the merged mappings' entries that this
        // mapping does not set itself; of several merged mappings the first one listed wins.
        for merge in merges {
            let sources = merge.sequence.map(Array.init) ?? [merge]
            for source in sources {
                guard source.mapping != nil else {
                    fail(source, "a merge key (<<) takes a mapping or a list of mappings, found \(describe(source))")
                    continue
                }
                for entry in self.mapping(source, what, allowed: allowed) ?? [] where seen.insert(entry.key).inserted {
                    entries.append(entry)
                }
            }
        }
        return entries
    }

    /// `<<` written plainly is YAML's merge key; quoted, it is an ordinary key.
    static func isMergeKey(_ node: Node) -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.string == "<<" && scalar.style == .plain
    }

    mutating func string(_ node: Node, _ what: String) -> String? {
        guard let scalar = node.scalar else {
            fail(node, "\(what) must be a string, found \(describe(node))")
            return nil
        }
        return scalar.string
    }

    mutating func integer(_ node: Node, _ what: String, minimum: Int, maximum: Int = Int.max) -> Int? {
        guard let scalar = node.scalar, scalar.style == .plain, let value = Int(scalar.string) else {
            fail(node, "\(what) must be a whole number, found \(describe(node))")
            return nil
        }
        guard value >= minimum, value <= maximum else {
            let range = maximum == Int.max ? "at least \(minimum)" : "from \(minimum) to \(maximum)"
            fail(node, "\(what) must be \(range), found \(value)")
            return nil
        }
        return value
    }

    mutating func bool(_ node: Node, _ what: String) -> Bool? {
        guard let scalar = node.scalar, scalar.style == .plain, ["true", "false"].contains(scalar.string) else {
            fail(node, "\(what) must be true or false, found \(describe(node))")
            return nil
        }
        return scalar.string == "true"
    }

    mutating func list(_ node: Node, _ what: String) -> [Node]? {
        guard let sequence = node.sequence else {
            fail(node, "\(what) must be a list, found \(describe(node))")
            return nil
        }
        return Array(sequence)
    }

    /// A Prometheus interval: a Go duration of whole seconds (`15s`, `1m`, `1m30s`), or bare seconds.
    mutating func duration(_ node: Node, _ what: String) -> Int? {
        guard let text = string(node, what) else { return nil }
        let range = Duration.seconds(1)...Duration.seconds(86_400)
        if let seconds = Int(text) {
            guard range.contains(.seconds(seconds)) else {
                fail(node, "\(what) must be from 1s to 24h, found \(seconds) seconds")
                return nil
            }
            return seconds
        }
        do {
            let duration = try GoDuration.parse(text, in: range)
            if duration.components.attoseconds == 0 { return Int(duration.components.seconds) }
        } catch {
            fail(node, "\(what): \(error)")
            return nil
        }
        fail(node, "\(what) must be a duration of whole seconds such as 15s, 1m or 1m30s, found \"\(text)\"")
        return nil
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): scalar.string.isEmpty ? "an empty value" : "\"\(scalar.string)\""
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}
