import CYaml
import VitalsSystem

/// Bounds on YAML input, checked on libyaml's event stream before Yams builds a tree.
///
/// Aliases let a few lines stand for billions of nodes (nine anchored lists of nine aliases each),
/// and Yams hashes every mapping key to find duplicates, expanding aliased keys as it goes. These
/// limits are far above any real stack file and far below what would stall `vitals validate` or a
/// SIGHUP reload of `vitals serve`.
public struct YAMLInputLimits: Sendable {
    /// Largest file, in bytes.
    public var maxBytes = 8 << 20
    /// Deepest nesting of lists and mappings, aliases expanded.
    public var maxDepth = 64
    /// Most nodes the document may stand for once every alias is expanded.
    public var maxExpandedNodes = 1_000_000
    /// Most aliases in one document.
    public var maxAliases = 10_000
    /// Longest the check may take; the counts above bound it far below this on any real machine.
    public var maxDuration = Duration.seconds(5)

    public init() {}

    /// Returns the first limit `text` (of `file`) exceeds, where, or nil. Syntax errors are left to
    /// the parser that follows, which reports them with their own positions.
    public func violation(in text: String, file: String) -> SourceError? {
        let utf8 = text.utf8
        guard utf8.count <= maxBytes else {
            return SourceError(
                file: file, line: 1, column: 1,
                message: "the file is \(utf8.count) bytes; stack files may be at most \(maxBytes) bytes")
        }
        var bytes = Array(utf8)
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { buffer in
            scan(buffer.baseAddress!, count: buffer.count - 1, file: file)
        }
    }

    private struct Frame {
        var anchor: String?
        var expandedAtStart: Int
        var depthBelow = 0
    }

    private func scan(_ input: UnsafePointer<UInt8>, count: Int, file: String) -> SourceError? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, input, count)
        var stack: [Frame] = []
        var anchors: [String: (nodes: Int, depth: Int)] = [:]
        var expanded = 0
        var aliases = 0
        var events = 0
        let clock = ContinuousClock()
        let started = clock.now
        var event = yaml_event_t()
        while yaml_parser_parse(&parser, &event) == 1 {
            defer { yaml_event_delete(&event) }
            events += 1
            if events % 4096 == 0, clock.now - started > maxDuration {
                return SourceError(
                    file: file, line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1,
                    message: "reading the file took longer than \(maxDuration); stack files are small")
            }
            let line = Int(event.start_mark.line) + 1
            let column = Int(event.start_mark.column) + 1
            func violation(_ message: String) -> SourceError {
                SourceError(file: file, line: line, column: column, message: message)
            }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return nil
            case YAML_SCALAR_EVENT:
                expanded += 1
                if let anchor = Self.string(event.data.scalar.anchor) { anchors[anchor] = (1, 0) }
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                expanded += 1
                let anchor = Self.string(
                    event.type == YAML_SEQUENCE_START_EVENT
                        ? event.data.sequence_start.anchor : event.data.mapping_start.anchor)
                stack.append(Frame(anchor: anchor, expandedAtStart: expanded - 1))
                guard stack.count <= maxDepth else {
                    return violation("lists and mappings are nested more than \(maxDepth) deep")
                }
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { continue }
                if let anchor = frame.anchor {
                    anchors[anchor] = (expanded - frame.expandedAtStart, frame.depthBelow + 1)
                }
                if !stack.isEmpty {
                    stack[stack.count - 1].depthBelow = max(stack[stack.count - 1].depthBelow, frame.depthBelow + 1)
                }
            case YAML_ALIAS_EVENT:
                aliases += 1
                guard aliases <= maxAliases else { return violation("more than \(maxAliases) aliases") }
                guard let name = Self.string(event.data.alias.anchor), let anchor = anchors[name] else { continue }
                expanded += anchor.nodes
                guard expanded <= maxExpandedNodes else {
                    return violation(
                        "aliases expand the document beyond \(maxExpandedNodes) nodes; stack files do not need alias chains this large"
                    )
                }
                guard stack.count + anchor.depth <= maxDepth else {
                    return violation("alias *\(name) nests lists and mappings more than \(maxDepth) deep")
                }
                if !stack.isEmpty {
                    stack[stack.count - 1].depthBelow = max(stack[stack.count - 1].depthBelow, anchor.depth)
                }
            default:
                continue
            }
        }
        return nil
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }
}
