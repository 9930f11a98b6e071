/// The services of a stack and what each depends on (`dependsOn`), in file order: the one place
/// that walks it, for the loader's cycle check, `vitals wait`'s closure and the provisioner's
/// inhibitions.
public struct DependencyGraph: Sendable, Hashable {
    /// Service names in file order, with their direct dependencies.
    public let edges: [(name: String, dependsOn: [String])]

    public init(_ edges: [(name: String, dependsOn: [String])]) {
        self.edges = edges
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.edges.elementsEqual(rhs.edges) { $0.name == $1.name && $0.dependsOn == $1.dependsOn }
    }

    public func hash(into hasher: inout Hasher) {
        for edge in edges {
            hasher.combine(edge.name)
            hasher.combine(edge.dependsOn)
        }
    }

    private func dependencies(of name: String) -> [String] {
        edges.first { $0.name == name }?.dependsOn ?? []
    }

    /// The named services and, transitively, everything they depend on, in file order.
    public func closure(of names: [String]) -> [String] {
        var wanted: Set<String> = []
        var queue = names
        while let name = queue.popLast() {
            guard wanted.insert(name).inserted else { continue }
            queue.append(contentsOf: dependencies(of: name))
        }
        return edges.map(\.name).filter { wanted.contains($0) }
    }

    /// The services that depend on `name`, directly or through others, in file order.
    public func dependents(of name: String) -> [String] {
        var found: Set<String> = []
        var queue = [name]
        while let current = queue.popLast() {
            for edge in edges where edge.dependsOn.contains(current) && found.insert(edge.name).inserted {
                queue.append(edge.name)
            }
        }
        found.remove(name)
        return edges.map(\.name).filter { found.contains($0) }
    }

    /// The first dependency cycle found by a depth-first search from each service in file order,
    /// as its path with the first service repeated at the end (`a -> b -> a`); nil when there is none.
    public func cycle() -> [String]? {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var path: [String] = []
        func visit(_ name: String) -> [String]? {
            switch marks[name] {
            case .done: return nil
            case .visiting:
                let start = path.firstIndex(of: name)!
                return Array(path[start...]) + [name]
            case nil: break
            }
            marks[name] = .visiting
            path.append(name)
            for dependency in dependencies(of: name) {
                if let cycle = visit(dependency) { return cycle }
            }
            path.removeLast()
            marks[name] = .done
            return nil
        }
        for edge in edges {
            if let cycle = visit(edge.name) { return cycle }
        }
        return nil
    }
}
