import Testing
import VitalsStack

@Suite struct DependencyGraphTests {
    /// api → cache, db; worker → cache; web → api. File order: web, api, worker, cache, db.
    static let graph = DependencyGraph([
        ("web", ["api"]), ("api", ["cache", "db"]), ("worker", ["cache"]), ("cache", []), ("db", []),
    ])

    @Test func closureFollowsDependenciesInFileOrder() {
        #expect(Self.graph.closure(of: ["web"]) == ["web", "api", "cache", "db"])
        #expect(Self.graph.closure(of: ["worker"]) == ["worker", "cache"])
        #expect(Self.graph.closure(of: ["db"]) == ["db"])
    }

    @Test func dependentsAreTransitiveAndExcludeTheServiceItself() {
        #expect(Self.graph.dependents(of: "cache") == ["web", "api", "worker"])
        #expect(Self.graph.dependents(of: "web") == [])
    }

    @Test func aCycleIsFoundWithItsPath() {
        #expect(Self.graph.cycle() == nil)
        let cyclic = DependencyGraph([("a", ["b"]), ("b", ["c"]), ("c", ["a"]), ("d", ["a"])])
        #expect(cyclic.cycle() == ["a", "b", "c", "a"])
        // A cycle reached only through another service is reported from where it closes.
        let reached = DependencyGraph([("d", ["b"]), ("b", ["c"]), ("c", ["b"])])
        #expect(reached.cycle() == ["b", "c", "b"])
        #expect(DependencyGraph([("a", ["a"])]).cycle() == ["a", "a"])
    }
}
