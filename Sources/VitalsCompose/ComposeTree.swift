import Yams

/// A compose file's YAML as a tree that remembers where each value stood, so that a later
/// problem can still name its file, line and column after several files are merged.
indirect enum ComposeTree: Sendable {
    case scalar(String, Position)
    case mapping([(key: String, value: ComposeTree)], Position)
    case sequence([ComposeTree], Position)
    case null(Position)

    struct Position: Sendable, Hashable {
        var file: String
        var line: Int
        var column: Int
    }

    var position: Position {
        switch self {
        case .scalar(_, let position), .mapping(_, let position), .sequence(_, let position), .null(let position):
            position
        }
    }

    var string: String? {
        if case .scalar(let text, _) = self { return text }
        return nil
    }

    var entries: [(key: String, value: ComposeTree)]? {
        if case .mapping(let entries, _) = self { return entries }
        return nil
    }

    var items: [ComposeTree]? {
        if case .sequence(let items, _) = self { return items }
        return nil
    }

    subscript(key: String) -> ComposeTree? {
        entries?.last { $0.key == key }?.value
    }

    /// Converts Yams' tree; aliases are already resolved by Yams' composer.
    static func from(_ node: Node, file: String) -> ComposeTree {
        let position = Position(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                return .null(position)
            }
            return .scalar(scalar.string, position)
        case .mapping(let mapping):
            return .mapping(
                mapping.map { key, value in (key.scalar?.string ?? "", from(value, file: file)) }, position)
        case .sequence(let sequence):
            return .sequence(sequence.map { from($0, file: file) }, position)
        case .alias:
            return .null(position)
        }
    }

    /// Compose's merge of a later file over an earlier one: mappings merge key by key, `ports`,
    /// `expose` and `depends_on` lists are joined, and anything else the later file sets replaces it.
    static func merge(_ base: ComposeTree, _ override: ComposeTree, key: String? = nil) -> ComposeTree {
        switch (base, override) {
        case (.mapping(let baseEntries, _), .mapping(let overrideEntries, let position)):
            var merged = baseEntries
            for (childKey, value) in overrideEntries {
                if let index = merged.firstIndex(where: { $0.key == childKey }) {
                    merged[index].value = merge(merged[index].value, value, key: childKey)
                } else {
                    merged.append((childKey, value))
                }
            }
            return .mapping(merged, position)
        case (.sequence(let baseItems, _), .sequence(let overrideItems, let position))
        where ["ports", "expose", "depends_on", "profiles"].contains(key ?? ""):
            var joined = baseItems
            for item in overrideItems where !joined.contains(where: { $0.string != nil && $0.string == item.string }) {
                joined.append(item)
            }
            return .sequence(joined, position)
        default:
            return override
        }
    }

    /// Every scalar interpolated; variables without a value are collected.
    func interpolated(
        _ interpolation: ComposeInterpolation, unset: inout [(String, Position)]
    ) throws(ComposeError) -> ComposeTree {
        switch self {
        case .scalar(let text, let position):
            do {
                let (value, missing) = try interpolation.apply(text)
                for name in missing { unset.append((name, position)) }
                return .scalar(value, position)
            } catch {
                switch error {
                case .required(let variable, let message):
                    throw ComposeError(
                        position, "variable \(variable) is required: \(message.isEmpty ? "it is not set" : message)")
                case .malformed(let message):
                    throw ComposeError(position, message)
                }
            }
        case .mapping(let entries, let position):
            var result: [(key: String, value: ComposeTree)] = []
            for (key, value) in entries { result.append((key, try value.interpolated(interpolation, unset: &unset))) }
            return .mapping(result, position)
        case .sequence(let items, let position):
            var result: [ComposeTree] = []
            for item in items { result.append(try item.interpolated(interpolation, unset: &unset)) }
            return .sequence(result, position)
        case .null:
            return self
        }
    }
}
